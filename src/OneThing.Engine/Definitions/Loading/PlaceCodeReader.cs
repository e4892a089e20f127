using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>Reads <c>incident.place_code</c>: the optional field with a spot's code, preferred to the place text when a report carries it.</summary>
internal static class PlaceCodeReader
{
    public const string Key = "place_code";

    public static FormField? Read(YamlReader reader, YamlMappingNode incident, IReadOnlyList<FormField> form, string prefix)
    {
        if (reader.Scalar(incident, Key, null, prefix, required: false) is not { } key)
        {
            return null;
        }

        var field = form.FirstOrDefault(candidate => candidate.Key == key);
        if (field is null)
        {
            reader.Error(null, $"{prefix}place_code names unknown field '{key}'");
        }
        else if (field.Type is not (FieldType.Text or FieldType.Choice))
        {
            reader.Error(null, $"{prefix}place_code field '{key}' must be a text or choice field");
        }
        else if (key == (YamlReader.Get(incident, "place") as YamlScalarNode)?.Value)
        {
            reader.Error(null, $"{prefix}place_code must be another field than place: the code is preferred to the place's text");
        }
        else
        {
            return field;
        }

        return null;
    }
}
