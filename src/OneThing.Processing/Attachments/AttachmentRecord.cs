namespace OneThing.Processing.Attachments;

/// <summary>An uploaded file's description; its bytes are an <see cref="AttachmentContent"/> of their own.</summary>
public sealed class AttachmentRecord
{
    /// <summary>The value of a supplement's further materials in <see cref="Field"/>.</summary>
    public const string SupplementMaterials = "attachments";

    public required Guid Id { get; init; }
    public required string FileName { get; init; }

    /// <summary>The type read from the file's first bytes, which the declared type and the extension had to agree with.</summary>
    public required string ContentType { get; init; }
    public required long Size { get; init; }

    /// <summary>Lower-case hex SHA-256 of the bytes.</summary>
    public required string Sha256 { get; init; }
    public required string UploadedBy { get; init; }
    public required DateTimeOffset UploadedAt { get; init; }

    /// <summary>Null until a filing or supplement uses the upload; once set it never changes.</summary>
    public Guid? CaseId { get; set; }
    public string? Field { get; set; }

    /// <summary>For a supplement's further materials: the steps that had asked for it.</summary>
    public string[]? StepIds { get; set; }
}

public sealed class AttachmentContent
{
    public required Guid AttachmentId { get; init; }
    public required byte[] Content { get; init; }
}
