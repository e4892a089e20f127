using ScottPlot;

namespace OneThing.Bench.Reporting;

/// <summary>
/// Grouped bars: for each category (a page, a size, a bus mode) one bar per series (OneThing, pgbench…). Drawn with
/// ScottPlot as SVG beside the Markdown, so the document shows at a glance what its tables say.
/// </summary>
/// <param name="Values">One list per series, a value per category; NaN leaves a gap.</param>
public sealed record BarChart(string Title, string Unit, IReadOnlyList<string> Categories, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> Values)
{
    private static readonly Color[] Palette = [Colors.SteelBlue, Colors.DarkOrange, Colors.SeaGreen, Colors.SlateGray, Colors.IndianRed];

    public void SaveSvg(string path)
    {
        var plot = new Plot();
        var seriesCount = Values.Count;
        var width = 0.8 / seriesCount;
        var bars = new List<Bar>();
        for (var series = 0; series < seriesCount; series++)
        {
            for (var category = 0; category < Categories.Count; category++)
            {
                var value = Values[series].Values[category];
                if (!double.IsFinite(value))
                {
                    continue;
                }

                bars.Add(new Bar
                {
                    Position = category + (series - (seriesCount - 1) / 2.0) * width,
                    Value = value,
                    Size = width * 0.95,
                    FillColor = Palette[series % Palette.Length],
                    Label = value >= 100 ? $"{value:0}" : value >= 10 ? $"{value:0.0}" : $"{value:0.00}",
                });
            }
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, Categories.Count).Select(i => (double)i)], [.. Categories]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.Title(Title);
        plot.YLabel(Unit);
        for (var series = 0; series < seriesCount; series++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = Values[series].Name, FillColor = Palette[series % Palette.Length] });
        }

        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.SaveSvg(path, Math.Max(900, 150 * Categories.Count * Math.Max(1, seriesCount / 2)), 420);
    }
}
