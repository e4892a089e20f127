using System.Globalization;
using System.Text.RegularExpressions;

namespace OneThing.Api.Tests.Infrastructure;

/// <summary>One GET /metrics, read as Prometheus' text format: a sample per line, <c>name{label="value",…} number</c>.</summary>
public sealed partial class PrometheusScrape
{
    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    private readonly List<Sample> _samples;

    private PrometheusScrape(string text)
    {
        Text = text;
        _samples = text.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success)
            .Select(match => new Sample(
                match.Groups["name"].Value,
                LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(l => l.Groups["key"].Value, l => l.Groups["value"].Value),
                double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)))
            .ToList();
    }

    public string Text { get; }

    public static async Task<PrometheusScrape> ReadAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new PrometheusScrape(await response.Content.ReadAsStringAsync());
    }

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    /// <summary>The sum over every sample of the metric whose labels include the given ones; 0 when there is none.</summary>
    public double Value(string name, params (string Label, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);

    public IEnumerable<string> LabelValues(string name, string label) =>
        _samples.Where(s => s.Name == name && s.Labels.ContainsKey(label)).Select(s => s.Labels[label]).Distinct();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
