using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OneThing.Engine;

/// <summary>
/// Checks a submitted form against a definition's schema and returns it normalised (strings trimmed,
/// ID number check character upper-case, fields in definition order), or every problem found.
/// </summary>
public static partial class FormValidator
{
    public const int MaxTextLength = 500;
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

    /// <summary>GB/T 2260 province-level codes, the first two digits of every resident ID number.</summary>
    private static readonly HashSet<string> ProvinceCodes =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    ];

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

    /// <param name="today">The date in the service's time zone; when given, birth dates after it are refused. The engine reads no clock.</param>
    public static (FormData? Form, IReadOnlyList<FieldError> Errors) Validate(WorkflowDefinition definition, JsonElement form, DateOnly? today = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<FieldError>();
        if (form.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(FieldError.WholeForm, "表单必须是一个 JSON 对象", "The form must be a JSON object"));
            return (null, errors);
        }

        if (!HasValidText(form))
        {
            // The JSON parser checks strings' UTF-8 only when they are read; reading them here would throw.
            errors.Add(new FieldError(FieldError.WholeForm, "表单包含无效的 UTF-8 文本或 NUL 字符", "The form contains text that is not valid UTF-8 or a NUL character (U+0000)"));
            return (null, errors);
        }

        var submitted = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in form.EnumerateObject())
        {
            if (definition.FindField(property.Name) is null)
            {
                errors.Add(new FieldError(property.Name, $"未知字段“{property.Name}”", $"Unknown field '{property.Name}'"));
            }
            else if (!submitted.TryAdd(property.Name, property.Value))
            {
                errors.Add(new FieldError(property.Name, "该字段重复出现", "The field appears more than once"));
            }
        }

        var accepted = new List<KeyValuePair<string, JsonElement>>();
        foreach (var field in definition.Form)
        {
            if (!submitted.TryGetValue(field.Key, out var value) || IsEmpty(value))
            {
                if (field.Required)
                {
                    errors.Add(new FieldError(field.Key, "此项为必填项", "This field is required"));
                }

                continue;
            }

            var fieldErrors = new List<(string Zh, string En)>();
            var normalised = ValidateValue(field, value, today, fieldErrors);
            if (fieldErrors.Count > 0)
            {
                errors.AddRange(fieldErrors.Select(error => new FieldError(field.Key, error.Zh, error.En)));
            }
            else
            {
                accepted.Add(new(field.Key, normalised));
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var data = FormData.FromPairs(accepted);
        errors.AddRange(PlaceFieldRules.Check(definition, data));
        return errors.Count > 0 ? (null, errors) : (data, errors);
    }

    /// <summary>
    /// False when a string or property name in the JSON is not valid UTF-8 (the parser checks only when text is read) or
    /// holds a NUL character, which PostgreSQL cannot store in text or jsonb.
    /// </summary>
    public static bool HasValidText(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.String => IsStorable(element.GetString()),
                JsonValueKind.Object => element.EnumerateObject().All(p => IsStorable(p.Name) && HasValidText(p.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(HasValidText),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsStorable(string? text) => text is not null && !text.Contains('\0', StringComparison.Ordinal);

    private static bool IsEmpty(JsonElement value) =>
        value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
        || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()));

    private static JsonElement ValidateValue(FormField field, JsonElement value, DateOnly? today, List<(string Zh, string En)> errors) => field.Type switch
    {
        FieldType.Text => ValidateText(value, errors),
        FieldType.Bool => ValidateBool(value, errors),
        FieldType.Number => ValidateNumber(value, errors),
        FieldType.Date => ValidateDate(value, errors),
        FieldType.Choice => ValidateChoice(field, value, errors),
        FieldType.IdNumber => ValidateIdNumber(value, today, errors),
        FieldType.CreditCode => ValidateCreditCode(value, errors),
        FieldType.Mobile => ValidateMobile(value, errors),
        FieldType.Attachment => ValidateAttachment(value, errors),
        _ => throw new InvalidOperationException($"Unhandled field type {field.Type}."),
    };

    private static JsonElement ValidateText(JsonElement value, List<(string, string)> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(("应为文本", "Must be text"));
            return value;
        }

        var text = value.GetString()!.Trim();
        if (text.EnumerateRunes().Count() > MaxTextLength)
        {
            errors.Add(($"不能超过{MaxTextLength}个字符", $"Must be at most {MaxTextLength} characters"));
        }

        return StringElement(text);
    }

    private static JsonElement ValidateBool(JsonElement value, List<(string, string)> errors)
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(("应为“是”或“否”（true 或 false）", "Must be true or false"));
        }

        return value;
    }

    private static JsonElement ValidateNumber(JsonElement value, List<(string, string)> errors)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(("应为数字", "Must be a number"));
        }
        else if (!value.TryGetDecimal(out _))
        {
            errors.Add(("数值超出范围", "The number is out of range"));
        }

        return value;
    }

    private static JsonElement ValidateDate(JsonElement value, List<(string, string)> errors)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (text is null || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add(("应为有效日期，格式为 yyyy-MM-dd", "Must be a real date written yyyy-MM-dd"));
            return value;
        }

        return StringElement(text);
    }

    private static JsonElement ValidateChoice(FormField field, JsonElement value, List<(string, string)> errors)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (text is null || !field.Options.Contains(text, StringComparer.Ordinal))
        {
            errors.Add(($"请从以下选项中选择：{string.Join("、", field.Options)}", $"Must be one of: {string.Join(", ", field.Options)}"));
            return value;
        }

        return StringElement(text);
    }

    private static JsonElement ValidateIdNumber(JsonElement value, DateOnly? today, List<(string, string)> errors)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim().ToUpperInvariant() : null;
        if (text is null || !IdNumberShape().IsMatch(text))
        {
            errors.Add(("身份证号码应为18位：前17位为数字，最后一位为数字或X", "The ID number must have 18 characters: 17 digits followed by a digit or X"));
            return value;
        }

        if (!ProvinceCodes.Contains(text[..2]))
        {
            errors.Add(("身份证号码前两位不是有效的省级行政区划代码", "The ID number does not start with a valid province code"));
            return value;
        }

        if (!DateOnly.TryParseExact(text.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate)
            || birthDate.Year < 1900 || birthDate > today)
        {
            errors.Add(("身份证号码中的出生日期无效", "The date of birth in the ID number is not a real date"));
            return value;
        }

        if (Checksums.IdNumberCheckCharacter(text.AsSpan(0, 17)) != text[17])
        {
            errors.Add(("身份证号码校验位不正确", "The ID number's check digit is wrong"));
            return value;
        }

        return StringElement(text);
    }

    private static JsonElement ValidateCreditCode(JsonElement value, List<(string, string)> errors)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim().ToUpperInvariant() : null;
        if (text is null || text.Length != 18 || text.Any(c => !Checksums.CreditCodeCharacters.Contains(c)))
        {
            errors.Add((
                "统一社会信用代码应为18位，由数字和大写字母（不含I、O、Z、S、V）组成",
                "The unified social credit code must have 18 characters: digits and capital letters except I, O, Z, S and V"));
            return value;
        }

        if (Checksums.CreditCodeCheckCharacter(text.AsSpan(0, 17)) != text[17])
        {
            errors.Add(("统一社会信用代码校验位不正确", "The unified social credit code's check character is wrong"));
            return value;
        }

        return StringElement(text);
    }

    private static JsonElement ValidateMobile(JsonElement value, List<(string, string)> errors)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (text is null || !MobileShape().IsMatch(text))
        {
            errors.Add(("手机号码应为11位中国大陆手机号，以13至19开头", "Must be an 11-digit mainland China mobile number starting with 13 to 19"));
            return value;
        }

        return StringElement(text);
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

    private static JsonElement StringElement(string text) => JsonSerializer.SerializeToElement(text);

    private sealed record AttachmentValue(string FileName, string ContentType, long Size);

    private static readonly JsonSerializerOptions AttachmentJson = new(JsonSerializerDefaults.Web);

    [GeneratedRegex(@"^[0-9]{17}[0-9X]$", RegexOptions.CultureInvariant)]
    private static partial Regex IdNumberShape();

    [GeneratedRegex(@"^1[3-9][0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex MobileShape();
}
