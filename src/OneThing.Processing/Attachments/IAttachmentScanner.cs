namespace OneThing.Processing.Attachments;

/// <summary>An uploaded file, already checked to be a PDF, JPEG or PNG within the size limit, before it is stored.</summary>
public sealed record FileToScan(string FileName, string ContentType, ReadOnlyMemory<byte> Content);

/// <param name="Reason">Why the file is refused, shown to the clerk; null when it may be stored.</param>
public sealed record ScanVerdict(string? Reason)
{
    public static readonly ScanVerdict Clean = new((string?)null);

    public bool Refused => Reason is not null;
}

/// <summary>
/// Where a virus scanner (or a government content check) plugs in: every upload passes through it before anything is
/// stored. The default stores everything; register another implementation to refuse files.
/// </summary>
public interface IAttachmentScanner
{
    Task<ScanVerdict> ScanAsync(FileToScan file, CancellationToken cancellationToken);
}

internal sealed class NoAttachmentScanning : IAttachmentScanner
{
    public Task<ScanVerdict> ScanAsync(FileToScan file, CancellationToken cancellationToken) => Task.FromResult(ScanVerdict.Clean);
}
