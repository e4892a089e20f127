using System.Text.Json;

namespace OneThing.Engine;

internal enum ConditionValueKind { Missing, Bool, Number, String, Other }

internal readonly record struct ConditionValue(ConditionValueKind Kind, bool Bool, decimal Number, string? String)
{
    public static readonly ConditionValue Missing = new(ConditionValueKind.Missing, false, 0, null);

    public static ConditionValue FromBool(bool value) => new(ConditionValueKind.Bool, value, 0, null);

    public static ConditionValue FromNumber(decimal value) => new(ConditionValueKind.Number, false, value, null);

    public static ConditionValue FromString(string value) => new(ConditionValueKind.String, false, 0, value);

    public static ConditionValue From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => FromBool(true),
        JsonValueKind.False => FromBool(false),
        JsonValueKind.Number when element.TryGetDecimal(out var number) => FromNumber(number),
        JsonValueKind.String => FromString(element.GetString()!),
        JsonValueKind.Null or JsonValueKind.Undefined => Missing,
        _ => new(ConditionValueKind.Other, false, 0, null),
    };

    private bool IsComparable => Kind is ConditionValueKind.Bool or ConditionValueKind.Number or ConditionValueKind.String;

    public static bool AreEqual(ConditionValue left, ConditionValue right) =>
        left.IsComparable && left.Kind == right.Kind && left.Kind switch
        {
            ConditionValueKind.Bool => left.Bool == right.Bool,
            ConditionValueKind.Number => left.Number == right.Number,
            _ => string.Equals(left.String, right.String, StringComparison.Ordinal),
        };

    /// <summary>Null when the two values cannot be ordered. Strings order ordinally, which is date order for yyyy-MM-dd.</summary>
    public static int? Compare(ConditionValue left, ConditionValue right)
    {
        if (left.Kind != right.Kind)
        {
            return null;
        }

        return left.Kind switch
        {
            ConditionValueKind.Number => left.Number.CompareTo(right.Number),
            ConditionValueKind.String => string.CompareOrdinal(left.String, right.String),
            _ => null,
        };
    }
}
