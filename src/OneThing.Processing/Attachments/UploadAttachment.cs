using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Attachments;

/// <param name="DeclaredContentType">What the sender says the file is; null or application/octet-stream when it says nothing.</param>
public sealed record UploadAttachmentCommand(string? FileName, string? DeclaredContentType, Stream Content, AuditActor Uploader);

public abstract record UploadAttachmentResult
{
    public sealed record Stored(AttachmentRecord Attachment) : UploadAttachmentResult;

    /// <summary>Not a PDF, JPEG or PNG whose name and declared type agree with its bytes, or empty, or unnamed.</summary>
    public sealed record Invalid(FieldError Error) : UploadAttachmentResult;

    public sealed record TooLarge(FieldError Error) : UploadAttachmentResult;

    /// <summary>The scanner refused it.</summary>
    public sealed record Refused(FieldError Error) : UploadAttachmentResult;
}

/// <summary>
/// A clerk uploads one file before filing or supplementing: its real type is read from its first bytes, it is scanned,
/// and only then stored with its SHA-256, unbound until a filing or supplement uses it.
/// </summary>
public sealed partial class UploadAttachment(OneThingDbContext db, IAttachmentScanner scanner, AuditTrail audit, TimeProvider clock,
    ILogger<UploadAttachment> logger)
{
    public const string Field = "file";
    private const int MaxFileNameLength = 255;

    public async Task<UploadAttachmentResult> HandleAsync(UploadAttachmentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        // Browsers on some systems send the whole path; only the last part is the file's name.
        var fileName = Path.GetFileName((command.FileName ?? "").Replace('\\', '/')).Trim();
        if (fileName.Length == 0 || fileName.Length > MaxFileNameLength || fileName.Any(char.IsControl))
        {
            return Invalid("文件名应为1至255个字符，且不含控制字符", "The file needs a name of 1 to 255 characters without control characters");
        }

        var content = await ReadCappedAsync(command.Content, FormValidator.MaxAttachmentBytes, cancellationToken);
        if (content is null)
        {
            return new UploadAttachmentResult.TooLarge(new FieldError(Field, "文件不能超过10MB", "The file must be at most 10 MiB"));
        }

        if (content.Length == 0)
        {
            return Invalid("文件是空的", "The file is empty");
        }

        var detected = FileSignature.Detect(content);
        if (detected is null)
        {
            return Invalid("文件内容不是 PDF、JPEG 或 PNG", "The file's content is not a PDF, JPEG or PNG file");
        }

        var declared = command.DeclaredContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (declared is { Length: > 0 } and not "application/octet-stream" && declared != detected)
        {
            return Invalid($"文件声明的类型 {declared} 与其内容（{detected}）不符", $"The file is declared as {declared} but its content is {detected}");
        }

        if (!FormValidator.ExtensionsOf(detected).Contains(Path.GetExtension(fileName).ToLowerInvariant()))
        {
            return Invalid($"文件扩展名与其内容（{detected}）不符", $"The file name's extension does not match its content ({detected})");
        }

        var verdict = await scanner.ScanAsync(new FileToScan(fileName, detected, content), cancellationToken);
        if (verdict.Refused)
        {
            LogRefused(detected, content.Length);
            return new UploadAttachmentResult.Refused(new FieldError(Field, $"文件未通过安全检查：{verdict.Reason}", $"The file did not pass the security scan: {verdict.Reason}"));
        }

        var now = clock.GetUtcNow();
        var attachment = new AttachmentRecord
        {
            Id = Guid.CreateVersion7(now),
            FileName = fileName,
            ContentType = detected,
            Size = content.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            UploadedBy = command.Uploader.UserName ?? throw new InvalidOperationException("Only a signed-in account uploads files."),
            UploadedAt = now,
        };
        db.Attachments.Add(attachment);
        db.AttachmentContents.Add(new AttachmentContent { AttachmentId = attachment.Id, Content = content });
        // The name stays out of the audit log and the logs: it often carries the applicant's name.
        audit.Add(command.Uploader, AuditActions.AttachmentUploaded, AuditTargets.Attachment, attachment.Id.ToString(),
            $"{detected}, {content.Length} bytes, sha256 {attachment.Sha256}");
        await db.SaveChangesAsync(cancellationToken);
        LogStored(attachment.Id, detected, content.Length);
        return new UploadAttachmentResult.Stored(attachment);
    }

    /// <summary>The whole stream, or null as soon as it is longer than <paramref name="limit"/>, so an oversized file is never held whole.</summary>
    /// <remarks>
    /// A stream that knows its length (a buffered form file does) is read straight into an array of that size: growing a
    /// buffer and copying it out, with an 80 KB chunk per upload, was a tenth of what a filing allocated in the profile.
    /// </remarks>
    private static async Task<byte[]?> ReadCappedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        if (stream.CanSeek)
        {
            var length = stream.Length - stream.Position;
            if (length > limit)
            {
                return null;
            }

            var content = new byte[length];
            await stream.ReadExactlyAsync(content, cancellationToken);
            return content;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static UploadAttachmentResult.Invalid Invalid(string zh, string en) => new(new FieldError(Field, zh, en));

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored attachment {AttachmentId}: {ContentType}, {Size} bytes")]
    private partial void LogStored(Guid attachmentId, string contentType, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The attachment scanner refused an upload ({ContentType}, {Size} bytes); nothing was stored")]
    private partial void LogRefused(string contentType, long size);
}
