using System.Text.Json;

namespace OneThing.Engine;

/// <summary>Attachment fields and supplement materials: a reference to an upload, or the description old cases hold.</summary>
public static partial class FormValidator
{
    public const long MaxAttachmentBytes = 10 * 1024 * 1024;
    public static readonly IReadOnlyList<string> AttachmentContentTypes = ["application/pdf", "image/jpeg", "image/png"];

    private static readonly Dictionary<string, string[]> AttachmentExtensions = new()
    {
        ["application/pdf"] = [".pdf"],
        ["image/jpeg"] = [".jpg", ".jpeg"],
        ["image/png"] = [".png"],
    };

    /// <summary>The file name endings a file of <paramref name="contentType"/> may have; none for a type that is not allowed.</summary>
    public static IReadOnlyList<string> ExtensionsOf(string contentType) => AttachmentExtensions.GetValueOrDefault(contentType) ?? [];

    /// <summary>Checks a JSON array of attachments (each an upload reference { attachmentId }), e.g. the materials of a supplement.</summary>
    public static IReadOnlyList<FieldError> ValidateAttachments(JsonElement attachments, string field)
    {
        if (attachments.ValueKind != JsonValueKind.Array)
        {
            return [new FieldError(field, "附件应为列表", "Attachments must be a list")];
        }

        if (!HasValidText(attachments))
        {
            return [new FieldError(field, "附件包含无效的 UTF-8 文本或 NUL 字符", "The attachments contain text that is not valid UTF-8 or a NUL character (U+0000)")];
        }

        var errors = new List<FieldError>();
        var index = 0;
        foreach (var attachment in attachments.EnumerateArray())
        {
            var problems = new List<(string Zh, string En)>();
            ValidateAttachment(attachment, problems);
            errors.AddRange(problems.Select(problem => new FieldError($"{field}[{index}]", problem.Zh, problem.En)));
            index++;
        }

        return errors;
    }

    private static JsonElement ValidateAttachment(JsonElement value, List<(string, string)> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(("附件应为已上传文件的编号（attachmentId）", "An attachment must be an object with the attachmentId of an uploaded file"));
            return value;
        }

        return value.TryGetProperty("attachmentId", out var id) ? ValidateUploadReference(value, id, errors) : ValidateDescription(value, errors);
    }

    /// <summary>
    /// An uploaded file, by the id its upload returned. Whatever else the value says of the file is dropped: the stored
    /// upload's own name, type, size and hash replace it once the filing or supplement binds it.
    /// </summary>
    private static JsonElement ValidateUploadReference(JsonElement value, JsonElement id, List<(string, string)> errors)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name is not ("attachmentId" or "fileName" or "contentType" or "size" or "sha256"))
            {
                errors.Add(($"附件包含未知属性“{property.Name}”", $"The attachment has an unknown property '{property.Name}'"));
            }
        }

        if (id.ValueKind != JsonValueKind.String || !Guid.TryParseExact(id.GetString()!.Trim(), "D", out var attachmentId))
        {
            errors.Add(("附件编号（attachmentId）应为上传文件时返回的编号", "attachmentId must be the id returned when the file was uploaded"));
            return value;
        }

        return JsonSerializer.SerializeToElement(new { attachmentId }, AttachmentJson);
    }

    /// <summary>A file described by name, type and size only, as cases filed before uploads existed hold them.</summary>
    private static JsonElement ValidateDescription(JsonElement value, List<(string, string)> errors)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name is not ("fileName" or "contentType" or "size"))
            {
                errors.Add(($"附件包含未知属性“{property.Name}”", $"The attachment has an unknown property '{property.Name}'"));
            }
        }

        var fileName = value.TryGetProperty("fileName", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
            ? nameElement.GetString()!.Trim()
            : "";
        if (fileName.Length == 0)
        {
            errors.Add(("附件缺少文件名", "The attachment has no file name"));
        }
        else if (fileName.Length > 255)
        {
            errors.Add(("附件文件名不能超过255个字符", "The attachment's file name must be at most 255 characters"));
        }

        var contentType = value.TryGetProperty("contentType", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
            ? typeElement.GetString()!.Trim().ToLowerInvariant()
            : "";
        if (!AttachmentContentTypes.Contains(contentType))
        {
            errors.Add(("附件只能是 PDF、JPEG 或 PNG 文件", "The attachment must be a PDF, JPEG or PNG file"));
        }
        else if (fileName.Length > 0 && !AttachmentExtensions[contentType].Contains(Path.GetExtension(fileName).ToLowerInvariant()))
        {
            // A renamed executable is the usual trick; the file's name must agree with its declared type.
            errors.Add(($"文件扩展名与类型 {contentType} 不符", $"The file name's extension does not match the type {contentType}"));
        }

        long size = 0;
        if (!value.TryGetProperty("size", out var sizeElement) || sizeElement.ValueKind != JsonValueKind.Number
            || !sizeElement.TryGetInt64(out size) || size <= 0 || size > MaxAttachmentBytes)
        {
            errors.Add(("附件大小必须大于0且不超过10MB", "The attachment's size must be more than 0 bytes and at most 10 MiB"));
        }

        return JsonSerializer.SerializeToElement(new AttachmentValue(fileName, contentType, size), AttachmentJson);
    }

    private sealed record AttachmentValue(string FileName, string ContentType, long Size);

    private static readonly JsonSerializerOptions AttachmentJson = new(JsonSerializerDefaults.Web);
}
