namespace OneThing.Bench.Reporting;

/// <summary>Tables with one column per bus mode, each row a measure.</summary>
public static class SideBySide
{
    public static string[] Row<T>(string measure, IEnumerable<T> modes, Func<T, string> cell) => [measure, .. modes.Select(cell)];

    /// <summary>The median over rounds of a per-round value.</summary>
    public static double Median<TRound>(IEnumerable<TRound> rounds, Func<TRound, double> metric) =>
        Infrastructure.Stats.Median(rounds.Select(metric));

    public static string Ratio(double numerator, double denominator) =>
        double.IsFinite(numerator / denominator) ? $"{numerator / denominator:0.0}×" : "–";
}
