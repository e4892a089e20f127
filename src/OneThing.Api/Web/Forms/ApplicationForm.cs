using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OneThing.Engine;

namespace OneThing.Api.Web.Forms;

/// <summary>What the clerk typed into a workflow's generated form, turned into the same JSON the API takes.</summary>
public sealed class ApplicationForm(WorkflowDefinition definition)
{
    private readonly Dictionary<string, string?> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool?> _flags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal?> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime?> _dates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AttachedFile?> _files = new(StringComparer.Ordinal);

    public WorkflowDefinition Definition { get; } = definition;

    public string? Text(string key) => _texts.GetValueOrDefault(key);
    public void SetText(string key, string? value) => _texts[key] = value;

    public bool? Flag(string key) => _flags.GetValueOrDefault(key);
    public void SetFlag(string key, bool? value) => _flags[key] = value;

    public decimal? Number(string key) => _numbers.GetValueOrDefault(key);
    public void SetNumber(string key, decimal? value) => _numbers[key] = value;

    public DateTime? Date(string key) => _dates.GetValueOrDefault(key);
    public void SetDate(string key, DateTime? value) => _dates[key] = value;

    public AttachedFile? File(string key) => _files.GetValueOrDefault(key);
    public void SetFile(string key, AttachedFile? value) => _files[key] = value;

    /// <summary>A form filled with a case's stored values, for the clerk to change when a reviewer asks for a supplement.</summary>
    public static ApplicationForm From(WorkflowDefinition definition, JsonElement stored)
    {
        var form = new ApplicationForm(definition);
        foreach (var field in definition.Form)
        {
            if (!stored.TryGetProperty(field.Key, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (field.Type)
            {
                case FieldType.Bool:
                    form.SetFlag(field.Key, value.ValueKind == JsonValueKind.True);
                    break;
                case FieldType.Number when value.TryGetDecimal(out var number):
                    form.SetNumber(field.Key, number);
                    break;
                case FieldType.Date when DateTime.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                    form.SetDate(field.Key, date);
                    break;
                case FieldType.Attachment when value.ValueKind == JsonValueKind.Object:
                    form.SetFile(field.Key, value.Deserialize<AttachedFile>(JsonSerializerOptions.Web));
                    break;
                case FieldType.Text or FieldType.Choice or FieldType.IdNumber or FieldType.CreditCode or FieldType.Mobile:
                    form.SetText(field.Key, value.GetString());
                    break;
            }
        }

        return form;
    }

    /// <summary>True for fields a department fills in when it approves (e.g. the credit code); the clerk does not enter them.</summary>
    public bool IsProvidedByAStep(string key) => Definition.Steps.Any(step => step.Provides.Contains(key, StringComparer.Ordinal));

    /// <summary>The form as the API takes it; only <paramref name="keys"/> when given (e.g. the fields a department provides).</summary>
    public JsonElement ToJson(IReadOnlyCollection<string>? keys = null)
    {
        var form = new JsonObject();
        foreach (var field in Definition.Form.Where(f => keys is null || keys.Contains(f.Key)))
        {
            JsonNode? value = field.Type switch
            {
                FieldType.Bool => _flags.GetValueOrDefault(field.Key) is { } flag ? JsonValue.Create(flag) : null,
                FieldType.Number => _numbers.GetValueOrDefault(field.Key) is { } number ? JsonValue.Create(number) : null,
                FieldType.Date => _dates.GetValueOrDefault(field.Key) is { } date
                    ? JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null,
                FieldType.Attachment => _files.GetValueOrDefault(field.Key) is { } file ? file.ToJson() : null,
                _ => _texts.GetValueOrDefault(field.Key) is { Length: > 0 } text ? JsonValue.Create(text) : null,
            };
            if (value is not null)
            {
                form[field.Key] = value;
            }
        }

        return JsonSerializer.SerializeToElement(form);
    }

    /// <summary>The same check the API makes when the case is filed, so the clerk sees every problem before submitting.</summary>
    public IReadOnlyList<FieldError> Validate() => FormValidator.Validate(Definition, ToJson()).Errors;
}

/// <summary>A file as the form holds it: an upload by its id, or (in cases filed before uploads existed) by name, type and size only.</summary>
public sealed record AttachedFile(string FileName, string ContentType, long Size, Guid? AttachmentId = null)
{
    public JsonObject ToJson() => AttachmentId is { } id
        ? new JsonObject { ["attachmentId"] = id.ToString() }
        : new JsonObject { ["fileName"] = FileName, ["contentType"] = ContentType, ["size"] = Size };
}
