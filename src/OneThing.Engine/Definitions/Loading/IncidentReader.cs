using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>Reads the <c>incident</c> section: which outside event opens cases of the workflow and how reports merge.</summary>
internal static class IncidentReader
{
    private const string Prefix = "incident: ";

    internal static readonly string[] Keys = ["event", "place", "merge_window", PlaceCodeReader.Key, RegisterReader.Key];

    public static IncidentSpec? Read(YamlReader reader, YamlMappingNode root, IReadOnlyList<FormField> form)
    {
        if (YamlReader.Get(root, "incident") is not { } node || reader.AsMapping(node, null, "incident") is not { } mapping)
        {
            return null;
        }

        reader.CheckKeys(mapping, null, Prefix, Keys);
        var eventType = reader.Scalar(mapping, "event", null, Prefix, required: true);
        var place = reader.Scalar(mapping, "place", null, Prefix, required: true);
        var windowText = reader.Scalar(mapping, "merge_window", null, Prefix, required: true);
        if (eventType is not null && !DepartmentCatalogue.KebabCase().IsMatch(eventType))
        {
            reader.Error(null, $"{Prefix}event '{eventType}' must be lowercase kebab-case, e.g. water-meter-alert");
        }

        var placeField = ReadPlace(reader, place, form);
        var window = windowText is null ? null : ReadMergeWindow(reader, windowText);
        var placeCode = PlaceCodeReader.Read(reader, mapping, form, Prefix);
        var register = RegisterReader.Read(reader, mapping, form, Prefix);
        return eventType is null || placeField is null || window is null
            ? null
            : new IncidentSpec(eventType, placeField.Key, window) { PlaceCodeField = placeCode?.Key, Register = register };
    }

    private static FormField? ReadPlace(YamlReader reader, string? place, IReadOnlyList<FormField> form)
    {
        var placeField = place is null ? null : form.FirstOrDefault(field => field.Key == place);
        if (place is not null && placeField is null)
        {
            reader.Error(null, $"{Prefix}place names unknown field '{place}'");
        }
        else if (placeField is not null && placeField.Type is not (FieldType.Text or FieldType.Choice))
        {
            reader.Error(null, $"{Prefix}place field '{place}' must be a text or choice field");
        }
        else if (placeField is { Required: false })
        {
            reader.Error(null, $"{Prefix}place field '{place}' must be required: reports are matched by place");
        }

        return placeField;
    }

    private static Sla? ReadMergeWindow(YamlReader reader, string windowText)
    {
        if (!Sla.TryParse(windowText, out var window, out var error))
        {
            reader.Error(null, $"{Prefix}bad merge_window: {error}");
            return null;
        }

        if (BusinessCalendar.IsWorkTime(window))
        {
            reader.Error(null, $"{Prefix}merge_window counts wall-clock time (e.g. 2h, 30m, 1d), not working time");
            return null;
        }

        return window;
    }
}
