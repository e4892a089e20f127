using System.Text.Json;

namespace OneThing.Engine;

/// <summary>What makes two reports the same spot: the spot's code when the report carries one, else its normalised place text.</summary>
public static class IncidentPlace
{
    public const string CodePrefix = "code:";

    public static string KeyOf(IncidentSpec incident, FormData form)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(form);
        if (incident.PlaceCodeField is { } codeField && Text(form, codeField) is { } code && PlaceText.NormaliseCode(code) is { Length: > 0 } folded)
        {
            return CodePrefix + folded;
        }

        var text = Text(form, incident.PlaceField) ?? "";
        // A place written only in punctuation has no normal form; its trimmed text still tells it apart.
        return PlaceText.Normalise(text) is { Length: > 0 } normalised ? normalised : text.Trim();
    }

    private static string? Text(FormData form, string key) =>
        form.TryGet(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
