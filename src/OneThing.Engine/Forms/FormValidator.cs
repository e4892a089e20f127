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
    /// <summary>GB/T 2260 province-level codes, the first two digits of every resident ID number.</summary>
    private static readonly HashSet<string> ProvinceCodes =
    [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    ];

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
            if (!submitted.TryGetValue(field.Key, out var value) || IsEmpty(field, value))
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
        errors.AddRange(MissingConditionalFields(definition, data));
        errors.AddRange(PlaceFieldRules.Check(definition, data));
        return errors.Count > 0 ? (null, errors) : (data, errors);
    }

    /// <summary>Fields whose <c>required_when</c> holds on the rest of the form, e.g. the guardian of a minor, and that were left empty.</summary>
    private static IEnumerable<FieldError> MissingConditionalFields(WorkflowDefinition definition, FormData data) =>
        definition.Form
            .Where(field => field.RequiredWhen is { } condition && !data.TryGet(field.Key, out _) && condition.Evaluate(data))
            .Select(field => new FieldError(field.Key, $"此项为必填项（当 {field.RequiredWhenText} 时）", $"This field is required when {field.RequiredWhenText}"));

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

    /// <summary>
    /// Null means not given for every field; blank text only for fields whose value is text. A blank string given for a
    /// yes/no, number or attachment is a value of the wrong type, not an empty field, so an optional one is refused too.
    /// </summary>
    private static bool IsEmpty(FormField field, JsonElement value) =>
        value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
        || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString())
            && field.Type is not (FieldType.Bool or FieldType.Number or FieldType.Attachment));

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

    /// <summary>An 11-digit mainland China mobile number, as a <c>mobile</c> field takes it (trimmed).</summary>
    public static bool IsMobileNumber([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text) => text is not null && MobileShape().IsMatch(text);

    private static JsonElement ValidateMobile(JsonElement value, List<(string, string)> errors)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (!IsMobileNumber(text))
        {
            errors.Add(("手机号码应为11位中国大陆手机号，以13至19开头", "Must be an 11-digit mainland China mobile number starting with 13 to 19"));
            return value;
        }

        return StringElement(text);
    }

    private static JsonElement StringElement(string text) => JsonSerializer.SerializeToElement(text);

    [GeneratedRegex(@"^[0-9]{17}[0-9X]$", RegexOptions.CultureInvariant)]
    private static partial Regex IdNumberShape();

    [GeneratedRegex(@"^1[3-9][0-9]{9}$", RegexOptions.CultureInvariant)]
    private static partial Regex MobileShape();
}
