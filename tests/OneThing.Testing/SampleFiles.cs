namespace OneThing.Testing;

/// <summary>Files that start as real PDF, JPEG, PNG and executable files do; the rest is filler.</summary>
public static class SampleFiles
{
    public static byte[] Of(string contentType, int size)
    {
        byte[] head = contentType switch
        {
            "application/pdf" => "%PDF-1.7\n"u8.ToArray(),
            "image/jpeg" => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46],
            "image/png" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            // A Windows executable (MZ header), the usual thing renamed to .pdf.
            "application/x-msdownload" => [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00],
            _ => throw new ArgumentOutOfRangeException(nameof(contentType)),
        };
        var content = new byte[size];
        new Random(size).NextBytes(content);
        head.AsSpan(0, Math.Min(head.Length, size)).CopyTo(content);
        return content;
    }
}
