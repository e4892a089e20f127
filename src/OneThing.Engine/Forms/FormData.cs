using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;

namespace OneThing.Engine;

/// <summary>
/// An immutable set of form values keyed by field key, in insertion order. Values are detached JSON
/// elements, so a FormData never holds on to a <see cref="JsonDocument"/>.
/// </summary>
public sealed class FormData : IEquatable<FormData>
{
    private readonly ImmutableArray<string> keys;
    private readonly ImmutableDictionary<string, JsonElement> values;
    private WrittenJson? written;

    private FormData(ImmutableArray<string> keys, ImmutableDictionary<string, JsonElement> values)
    {
        this.keys = keys;
        this.values = values;
    }

    public static FormData Empty { get; } = new([], ImmutableDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal));

    public IReadOnlyCollection<string> Keys => keys;

    /// <summary>Reads stored, already validated data; no validation happens here.</summary>
    public static FormData FromJson(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Form data must be a JSON object, not {obj.ValueKind}.", nameof(obj));
        }

        return FromPairs(obj.EnumerateObject().Select(property => new KeyValuePair<string, JsonElement>(property.Name, property.Value)));
    }

    internal static FormData FromPairs(IEnumerable<KeyValuePair<string, JsonElement>> pairs)
    {
        var keyOrder = ImmutableArray.CreateBuilder<string>();
        var map = Empty.values.ToBuilder();
        foreach (var (key, value) in pairs)
        {
            if (!map.ContainsKey(key))
            {
                keyOrder.Add(key);
            }

            map[key] = value.Clone();
        }

        return new FormData(keyOrder.ToImmutable(), map.ToImmutable());
    }

    /// <summary>Written once: a filing needs its form as JSON for the idempotency hash, the stored row and the answer.</summary>
    public JsonElement ToJson() => Written.Element;

    /// <summary>The text of <see cref="ToJson"/>, as it is stored.</summary>
    public string ToJsonText() => Written.Text;

    private WrittenJson Written => written ??= Write();

    private WrittenJson Write()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var key in keys)
            {
                writer.WritePropertyName(key);
                values[key].WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new WrittenJson(document.RootElement.Clone());
    }

    /// <summary>
    /// A reference, so that threads sharing a form see all of it or none (a struct could be read half-written); the text
    /// only when asked for, since an inbox row or an answer needs the element alone.
    /// </summary>
    private sealed class WrittenJson(JsonElement element)
    {
        private string? text;

        public JsonElement Element { get; } = element;

        public string Text => text ??= Element.GetRawText();
    }

    public bool TryGet(string key, out JsonElement value) => values.TryGetValue(key, out value);

    /// <summary>Only those of <paramref name="keys"/> that are present, in this form's order; used to show a department only what it may see.</summary>
    public FormData Project(IEnumerable<string> keys)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        return FromPairs(this.keys.Where(wanted.Contains).Select(key => new KeyValuePair<string, JsonElement>(key, values[key])));
    }

    /// <summary>A merged copy in which values from <paramref name="changes"/> win; new keys come last.</summary>
    public FormData With(FormData changes) =>
        FromPairs(
            keys.Select(key => new KeyValuePair<string, JsonElement>(key, values[key]))
                .Concat(changes.keys.Select(key => new KeyValuePair<string, JsonElement>(key, changes.values[key]))));

    public bool Equals(FormData? other) =>
        other is not null
        && keys.Length == other.keys.Length
        && keys.All(key => other.values.TryGetValue(key, out var otherValue) && JsonElement.DeepEquals(values[key], otherValue));

    public override bool Equals(object? obj) => Equals(obj as FormData);

    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var key in keys)
        {
            hash ^= StringComparer.Ordinal.GetHashCode(key);
        }

        return hash;
    }

    // Keys only: values are often personal data and FormData ends up in log messages.
    public override string ToString() => $"FormData {{ {string.Join(", ", keys)} }}";
}
