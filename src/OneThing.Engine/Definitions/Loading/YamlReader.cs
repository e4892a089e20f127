using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>
/// Reads the YAML representation model with line-aware messages and collects every problem instead of
/// stopping at the first, so an author fixes a file in one round.
/// </summary>
internal sealed class YamlReader(string file)
{
    private readonly List<WorkflowError> errors = [];

    public string File { get; } = file;

    public IReadOnlyList<WorkflowError> Errors => errors;

    public void Error(string? step, string message) => errors.Add(new WorkflowError(File, step, message));

    /// <summary>The root mapping of a single-document file, or null after reporting why there is none.</summary>
    public YamlMappingNode? LoadRoot(string text)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException exception)
        {
            Error(null, $"YAML syntax error at line {exception.Start.Line}, column {exception.Start.Column}: {exception.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet sometimes fails without a YamlException (e.g. an unclosed flow sequence); the last event read is the best position we have.
            var line = parser.Current?.End.Line ?? 1;
            Error(null, $"YAML syntax error near line {line}: the document could not be parsed (an unclosed '[', '{{' or quote?)");
            return null;
        }

        switch (stream.Documents.Count)
        {
            case 0:
                Error(null, "the file is empty");
                return null;
            case > 1:
                Error(null, $"the file must hold one YAML document, found {stream.Documents.Count} (line {stream.Documents[1].RootNode.Start.Line})");
                return null;
        }

        var root = stream.Documents[0].RootNode;
        if (IsNull(root))
        {
            Error(null, "the file is empty");
            return null;
        }

        return AsMapping(root, null, "the file");
    }

    public YamlMappingNode? AsMapping(YamlNode node, string? step, string what)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(step, $"{what} must be a mapping of keys to values (line {node.Start.Line})");
        return null;
    }

    public void CheckKeys(YamlMappingNode mapping, string? step, string prefix, params string[] allowed)
    {
        foreach (var key in mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                Error(step, $"{prefix}unknown key '{name}' (line {key.Start.Line}); allowed keys: {string.Join(", ", allowed)}");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode mapping, string key)
    {
        var node = mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
        return node is null || IsNull(node) ? null : node;
    }

    /// <summary>A scalar's text; reports and returns null if the key is missing (when required) or not a scalar.</summary>
    public string? Scalar(YamlMappingNode mapping, string key, string? step, string prefix, bool required)
    {
        var node = Get(mapping, key);
        if (node is null)
        {
            if (required)
            {
                Error(step, $"{prefix}missing required key '{key}'");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Error(step, $"{prefix}'{key}' must be a single value, not a {Describe(node)} (line {node.Start.Line})");
            return null;
        }

        if (!IsPlainTag(scalar.Tag))
        {
            Error(step, $"{prefix}'{key}' has the YAML tag '{scalar.Tag}' (line {node.Start.Line}); quote the value if it starts with '!'");
            return null;
        }

        var text = scalar.Value!.Trim();
        if (required && text.Length == 0)
        {
            Error(step, $"{prefix}'{key}' must not be empty (line {node.Start.Line})");
            return null;
        }

        return text;
    }

    public bool Bool(YamlMappingNode mapping, string key, string? step, string prefix)
    {
        var text = Scalar(mapping, key, step, prefix, required: false);
        switch (text)
        {
            case null:
            case "false":
                return false;
            case "true":
                return true;
            default:
                Error(step, $"{prefix}'{key}' must be true or false, not '{text}'");
                return false;
        }
    }

    public LocalizedText? Text(YamlMappingNode mapping, string key, string? step, string prefix, bool required)
    {
        var node = Get(mapping, key);
        if (node is null)
        {
            if (required)
            {
                Error(step, $"{prefix}missing required key '{key}'");
            }

            return null;
        }

        if (node is not YamlMappingNode texts)
        {
            Error(step, $"{prefix}'{key}' must give a Chinese and an English text, e.g. {{ zh: 户籍变更, en: Household registration change }} (line {node.Start.Line})");
            return null;
        }

        var keyPrefix = $"{prefix}{key}: ";
        CheckKeys(texts, step, keyPrefix, "zh", "en");
        var zh = Scalar(texts, "zh", step, keyPrefix, required: true);
        var en = Scalar(texts, "en", step, keyPrefix, required: true);
        return zh is null || en is null ? null : new LocalizedText(zh, en);
    }

    /// <summary>A list of scalars; a single scalar is accepted as a list of one.</summary>
    public IReadOnlyList<string> List(YamlMappingNode mapping, string key, string? step, string prefix)
    {
        switch (Get(mapping, key))
        {
            case null:
                return [];
            case YamlScalarNode scalar when IsPlainTag(scalar.Tag):
                return [scalar.Value!.Trim()];
            case YamlSequenceNode sequence:
                var items = new List<string>();
                foreach (var item in sequence.Children)
                {
                    if (item is YamlScalarNode { Value: { Length: > 0 } value } itemScalar && IsPlainTag(itemScalar.Tag))
                    {
                        items.Add(value.Trim());
                    }
                    else
                    {
                        Error(step, $"{prefix}every entry of '{key}' must be a single value (line {item.Start.Line})");
                    }
                }

                return items;
            case var other:
                Error(step, $"{prefix}'{key}' must be a list, not a {Describe(other)} (line {other.Start.Line})");
                return [];
        }
    }

    public IReadOnlyList<YamlNode> Sequence(YamlMappingNode mapping, string key, string? step, string prefix)
    {
        switch (Get(mapping, key))
        {
            case null:
                return [];
            case YamlSequenceNode sequence:
                return sequence.Children.ToList();
            case var other:
                Error(step, $"{prefix}'{key}' must be a list, not a {Describe(other)} (line {other.Start.Line})");
                return [];
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" } scalar
        && IsPlainTag(scalar.Tag);

    private static bool IsPlainTag(TagName tag) =>
        tag.IsEmpty || tag.IsNonSpecific || tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal);

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };
}
