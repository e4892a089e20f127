using System.Text.Json;
using System.Text.Json.Serialization;

namespace OneThing.Api.Extensions;

/// <summary>
/// PostgreSQL cannot store U+0000 in text or jsonb, so a NUL anywhere in a request would only fail later, as a
/// database error; every JSON string bound from a body is refused at binding instead, naming where it was.
/// </summary>
internal sealed class NulRefusingStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is not null && text.Contains('\0', StringComparison.Ordinal) ? throw new NulCharacterException() : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

internal sealed class NulCharacterException() : JsonException(NulCharacter.Refusal);

internal static class NulCharacter
{
    public const string Refusal = "Text may not contain the NUL character (U+0000); remove it.";
}
