namespace OneThing.Processing.Attachments;

/// <summary>What a file really is, read from its first bytes: a name and a declared type are only what the sender says.</summary>
public static class FileSignature
{
    private static readonly (string ContentType, byte[] Magic)[] Known =
    [
        ("application/pdf", "%PDF-"u8.ToArray()),
        ("image/jpeg", [0xFF, 0xD8, 0xFF]),
        ("image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    ];

    /// <summary>The content type the bytes start like, or null when they are none of the accepted kinds.</summary>
    public static string? Detect(ReadOnlySpan<byte> content)
    {
        foreach (var (contentType, magic) in Known)
        {
            if (content.StartsWith(magic))
            {
                return contentType;
            }
        }

        return null;
    }
}
