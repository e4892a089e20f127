using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>
/// Reads <c>incident.register</c>: the register the place field's value is looked up in, and which form fields the
/// register completes. Those fields must not come in the report, so each must exist, differ from the place field and
/// have the type of the register field that fills it.
/// </summary>
internal static class RegisterReader
{
    public const string Key = "register";

    private static readonly string[] Keys = ["name", "fill"];

    public static IncidentRegister? Read(YamlReader reader, YamlMappingNode incident, IReadOnlyList<FormField> form, string prefix)
    {
        if (YamlReader.Get(incident, Key) is not { } node || reader.AsMapping(node, null, $"{prefix}register") is not { } mapping)
        {
            return null;
        }

        var at = $"{prefix}register: ";
        reader.CheckKeys(mapping, null, at, Keys);
        var name = reader.Scalar(mapping, "name", null, at, required: true);
        IReadOnlyDictionary<string, FieldType>? offered = null;
        if (name is not null && !Registers.All.TryGetValue(name, out offered))
        {
            reader.Error(null, $"{at}unknown register '{name}'; known registers: {string.Join(", ", Registers.All.Keys)}");
        }

        if (YamlReader.Get(mapping, "fill") is not { } fillNode)
        {
            reader.Error(null, $"{at}missing required key 'fill' (form field: register field)");
            return null;
        }

        if (reader.AsMapping(fillNode, null, $"{at}fill") is not { } fillMapping || fillMapping.Children.Count == 0)
        {
            reader.Error(null, $"{at}fill must map at least one form field to a register field");
            return null;
        }

        var place = (YamlReader.Get(incident, "place") as YamlScalarNode)?.Value;
        var fill = new Dictionary<string, string>(StringComparer.Ordinal);
        var valid = offered is not null;
        foreach (var (keyNode, _) in fillMapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var source = reader.Scalar(fillMapping, key, null, $"{at}fill: ", required: true);
            valid &= source is not null && CheckPair(reader, at, key, source, place, form, offered) && fill.TryAdd(key, source);
        }

        return valid ? new IncidentRegister(name!, fill) : null;
    }

    private static bool CheckPair(YamlReader reader, string at, string key, string source, string? place, IReadOnlyList<FormField> form,
        IReadOnlyDictionary<string, FieldType>? offered)
    {
        var field = form.FirstOrDefault(candidate => candidate.Key == key);
        if (field is null)
        {
            reader.Error(null, $"{at}fill names unknown form field '{key}'");
            return false;
        }

        if (key == place)
        {
            reader.Error(null, $"{at}fill must not complete the place field '{key}': the register is looked up by it");
            return false;
        }

        if (offered is null)
        {
            return false;
        }

        if (!offered.TryGetValue(source, out var type))
        {
            reader.Error(null, $"{at}fill: '{key}' takes unknown register field '{source}'; the register offers {string.Join(", ", offered.Keys)}");
            return false;
        }

        if (field.Type != type)
        {
            reader.Error(null, $"{at}fill: form field '{key}' is {field.Type} but register field '{source}' is {type}");
            return false;
        }

        return true;
    }
}
