using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OneThing.Engine;

public enum SlaUnit { WorkDays, WorkHours, Minutes, Hours, Days }

/// <summary>
/// A service-level target: work time on the business calendar (work days, work hours) for ordinary matters,
/// wall-clock time (minutes, hours, days) for emergencies.
/// </summary>
public sealed partial record Sla(int Amount, SlaUnit Unit)
{
    private const string Examples = "'3 workdays', '4 workhours', '30m', '4h' or '2d'";

    private static readonly Dictionary<string, SlaUnit> UnitsByWord = new(StringComparer.OrdinalIgnoreCase)
    {
        ["workday"] = SlaUnit.WorkDays,
        ["workdays"] = SlaUnit.WorkDays,
        ["workhour"] = SlaUnit.WorkHours,
        ["workhours"] = SlaUnit.WorkHours,
        ["m"] = SlaUnit.Minutes,
        ["min"] = SlaUnit.Minutes,
        ["mins"] = SlaUnit.Minutes,
        ["minute"] = SlaUnit.Minutes,
        ["minutes"] = SlaUnit.Minutes,
        ["h"] = SlaUnit.Hours,
        ["hour"] = SlaUnit.Hours,
        ["hours"] = SlaUnit.Hours,
        ["d"] = SlaUnit.Days,
        ["day"] = SlaUnit.Days,
        ["days"] = SlaUnit.Days,
    };

    public static bool TryParse(string text, [NotNullWhen(true)] out Sla? sla, [NotNullWhen(false)] out string? error)
    {
        sla = null;
        var match = AmountAndUnit().Match(text ?? "");
        if (!match.Success)
        {
            error = $"'{text}' is not a valid SLA; write e.g. {Examples}";
            return false;
        }

        if (!int.TryParse(match.Groups["amount"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            error = $"'{text}' is not a valid SLA: the amount must be a whole number greater than zero";
            return false;
        }

        if (!UnitsByWord.TryGetValue(match.Groups["unit"].Value, out var unit))
        {
            error = $"'{text}' is not a valid SLA: unknown unit '{match.Groups["unit"].Value}'; write e.g. {Examples}";
            return false;
        }

        sla = new Sla(amount, unit);
        error = null;
        return true;
    }

    public override string ToString() => Unit switch
    {
        SlaUnit.WorkDays => Amount == 1 ? "1 workday" : $"{Amount} workdays",
        SlaUnit.WorkHours => Amount == 1 ? "1 workhour" : $"{Amount} workhours",
        SlaUnit.Minutes => $"{Amount}m",
        SlaUnit.Hours => $"{Amount}h",
        SlaUnit.Days => $"{Amount}d",
        _ => $"{Amount} {Unit}",
    };

    [GeneratedRegex(@"^\s*(?<amount>[0-9]+)\s*(?<unit>[A-Za-z]+)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountAndUnit();
}
