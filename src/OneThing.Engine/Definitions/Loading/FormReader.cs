using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>Reads the <c>form</c> section: the fields a clerk fills in when filing.</summary>
internal static partial class FormReader
{
    public static readonly string[] Keys = ["key", "label", "type", "required", "personal", "options", PlaceReader.Key, RequiredWhenKey];

    private const string RequiredWhenKey = "required_when";

    private static readonly Dictionary<string, FieldType> FieldTypesByName = new(StringComparer.Ordinal)
    {
        ["text"] = FieldType.Text,
        ["bool"] = FieldType.Bool,
        ["number"] = FieldType.Number,
        ["date"] = FieldType.Date,
        ["choice"] = FieldType.Choice,
        ["idNumber"] = FieldType.IdNumber,
        ["creditCode"] = FieldType.CreditCode,
        ["mobile"] = FieldType.Mobile,
        ["attachment"] = FieldType.Attachment,
    };

    public static IReadOnlyList<FormField> Read(YamlReader reader, YamlMappingNode root)
    {
        var fields = new List<FormField>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var entries = reader.Sequence(root, "form", null, "");
        for (var i = 0; i < entries.Count; i++)
        {
            if (reader.AsMapping(entries[i], null, $"form field #{i + 1}") is not { } entry)
            {
                continue;
            }

            if (ReadField(reader, entry, i) is { } read && Accept(reader, read.Key, keys) && read.Field is { } field)
            {
                fields.Add(field);
            }
        }

        return CheckRequiredWhen(reader, fields);
    }

    /// <summary>Null when the key is missing; <c>Field</c> is null when another part could not be read (already reported).</summary>
    private static (string Key, FormField? Field)? ReadField(YamlReader reader, YamlMappingNode entry, int index)
    {
        var key = reader.Scalar(entry, "key", null, $"form field #{index + 1}: ", required: true);
        var prefix = key is null ? $"form field #{index + 1}: " : $"field '{key}': ";
        reader.CheckKeys(entry, null, prefix, Keys);
        var label = reader.Text(entry, "label", null, prefix, required: true);
        var typeName = reader.Scalar(entry, "type", null, prefix, required: true);
        var required = reader.Bool(entry, "required", null, prefix);
        var personal = reader.Bool(entry, "personal", null, prefix);
        var options = reader.List(entry, "options", null, prefix);
        var requiredWhenText = reader.Scalar(entry, RequiredWhenKey, null, prefix, required: false);
        var requiredWhen = ConditionRules.Parse(reader, null, requiredWhenText, prefix, RequiredWhenKey);
        if (required && requiredWhenText is not null)
        {
            reader.Error(null, $"{prefix}a field is either required or {RequiredWhenKey}, not both");
        }

        FieldType? type = null;
        if (typeName is not null)
        {
            if (FieldTypesByName.TryGetValue(typeName, out var knownType))
            {
                type = knownType;
            }
            else
            {
                reader.Error(null, $"{prefix}unknown type '{typeName}'; use one of {string.Join(", ", FieldTypesByName.Keys)}");
            }
        }

        var hasOptions = YamlReader.Get(entry, "options") is not null;
        if (type == FieldType.Choice && options.Count == 0)
        {
            reader.Error(null, $"{prefix}a choice field needs 'options' with at least one value");
        }
        else if (type is not null and not FieldType.Choice && hasOptions)
        {
            reader.Error(null, $"{prefix}'options' are only allowed on choice fields");
        }

        foreach (var duplicate in options.GroupBy(option => option, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            reader.Error(null, $"{prefix}option '{duplicate.Key}' is listed more than once");
        }

        if (key is null)
        {
            return null;
        }

        // A field without label or type still has its key checked, so a later duplicate of it is reported.
        return label is not null && type is { } fieldType
            ? (key, new FormField(key, label, fieldType, required, fieldType == FieldType.Choice ? options : [],
                personal || fieldType is FieldType.IdNumber or FieldType.Mobile)
            {
                RequiredWhen = requiredWhen,
                RequiredWhenText = requiredWhen is null ? null : requiredWhenText,
            })
            : (key, null);
    }

    /// <summary>
    /// <c>required_when</c> is decided at filing, before any step has run, so it may test the other form fields only;
    /// a field that decides its own requirement could never be missing when it is needed.
    /// </summary>
    private static List<FormField> CheckRequiredWhen(YamlReader reader, List<FormField> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].RequiredWhen is not { } condition)
            {
                continue;
            }

            var key = fields[i].Key;
            var others = fields.Where(field => field.Key != key).ToList();
            var problems = ConditionChecker.Check(condition, others,
                name => new DottedName(null, $"{RequiredWhenKey} may test other form fields only, not '{name}'"))
                .Select(problem => problem.Replace(" in when", $" in {RequiredWhenKey}", StringComparison.Ordinal))
                .ToList();
            foreach (var problem in problems)
            {
                reader.Error(null, $"field '{key}': {problem}");
            }

            if (problems.Count > 0)
            {
                fields[i] = fields[i] with { RequiredWhen = null, RequiredWhenText = null };
            }
        }

        return fields;
    }

    private static bool Accept(YamlReader reader, string key, HashSet<string> keys)
    {
        if (!FieldKey().IsMatch(key))
        {
            reader.Error(null, $"field '{key}': key must be a camelCase identifier of letters and digits, e.g. idNumber");
            return false;
        }

        if (!keys.Add(key))
        {
            reader.Error(null, $"duplicate field key '{key}'");
            return false;
        }

        return true;
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldKey();
}
