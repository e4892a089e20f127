using System.Text.Json;

namespace OneThing.Engine;

/// <summary>
/// The form as someone sees it who may know a case exists but not whose it is: every personal field masked by
/// its type, everything else as filed.
/// </summary>
public static class FormMasking
{
    public static FormData Mask(WorkflowDefinition definition, FormData form)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(form);
        return FormData.FromPairs(form.Keys.Select(key =>
        {
            form.TryGet(key, out var value);
            var field = definition.FindField(key);
            // A key the definition does not know cannot be judged, so it is treated as personal.
            return new KeyValuePair<string, JsonElement>(key, field is { Personal: false } ? value : MaskValue(field?.Type, value));
        }));
    }

    private static JsonElement MaskValue(FieldType? type, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object && type == FieldType.Attachment)
        {
            // The type and size help a reviewer; the file name often carries the person's name.
            var masked = value.EnumerateObject().ToDictionary(
                p => p.Name,
                p => p.Name == "fileName" && p.Value.ValueKind == JsonValueKind.String ? JsonSerializer.SerializeToElement(MaskFileName(p.Value.GetString()!)) : p.Value);
            return JsonSerializer.SerializeToElement(masked);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return JsonSerializer.SerializeToElement("***");
        }

        var text = value.GetString()!;
        return JsonSerializer.SerializeToElement(type switch
        {
            FieldType.IdNumber => PersonalDataMask.IdNumber(text),
            FieldType.Mobile => PersonalDataMask.Mobile(text),
            FieldType.Text => PersonalDataMask.Name(text),
            _ => "***",
        });
    }

    private static string MaskFileName(string fileName) => "***" + Path.GetExtension(fileName);
}
