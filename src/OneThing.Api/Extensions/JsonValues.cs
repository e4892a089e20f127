using System.Text.Json;

namespace OneThing.Api.Extensions;

internal static class JsonValues
{
    /// <summary>An optional JSON member that was sent as <c>null</c> counts as not sent.</summary>
    public static JsonElement? Present(this JsonElement? value) =>
        value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } ? value : null;
}
