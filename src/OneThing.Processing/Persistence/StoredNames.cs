using System.Collections.Frozen;
using System.Text.Json;
using OneThing.Engine;

namespace OneThing.Processing.Persistence;

/// <summary>
/// How enums are spelled in rows, on the bus and in API answers ("running", "automated", "awaitingSupplement"): the
/// camelCase the JSON state uses, so that a column and the state document never disagree. Computed once per value.
/// </summary>
public static class StoredNames
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Names<TEnum>.ByValue[value];

    public static StepKind StepKindOf(string stored) => Enum.Parse<StepKind>(stored, ignoreCase: true);

    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue =
            Enum.GetValues<TEnum>().ToFrozenDictionary(value => value, value => JsonNamingPolicy.CamelCase.ConvertName(value.ToString()));
    }
}
