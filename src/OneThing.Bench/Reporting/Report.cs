using System.Text;
using OneThing.Bench.Infrastructure;
using Spectre.Console;

namespace OneThing.Bench.Reporting;

public sealed record ResultTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// One benchmark's results: the machine, the parameters and the tables, printed with Spectre.Console and, when asked,
/// written as Markdown for docs/benchmarks.md, so the document holds exactly what a run printed.
/// </summary>
public sealed class Report(string title, MachineInfo machine, IReadOnlyList<(string Name, string Value)> parameters)
{
    private readonly List<ResultTable> _tables = [];
    private readonly List<(string Title, string Text)> _details = [];
    private readonly List<string> _notes = [];
    private readonly List<BarChart> _charts = [];

    public string Title => title;

    public void Add(ResultTable table) => _tables.Add(table);

    public void AddDetail(string detailTitle, string text) => _details.Add((detailTitle, text));

    public void AddNote(string note) => _notes.Add(note);

    public void AddChart(BarChart chart) => _charts.Add(chart);

    /// <summary>The Markdown, with each chart saved as an SVG file beside it and shown where the tables end.</summary>
    /// <param name="imageName">Starts each chart's file name, e.g. "filing" gives filing-1.svg.</param>
    public async Task WriteMarkdownAsync(string path, string imageName, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(path, ToMarkdown(Path.GetDirectoryName(Path.GetFullPath(path))!, imageName), cancellationToken);
        Progress($"Wrote {path}");
    }

    public void Print()
    {
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
        var setup = new Table().Border(TableBorder.Rounded).AddColumn("machine").AddColumn("").AddColumn("parameter").AddColumn("");
        var machineRows = machine.Rows().ToList();
        for (var i = 0; i < Math.Max(machineRows.Count, parameters.Count); i++)
        {
            setup.AddRow(
                Markup.Escape(i < machineRows.Count ? machineRows[i].Name : ""),
                Markup.Escape(i < machineRows.Count ? machineRows[i].Value : ""),
                Markup.Escape(i < parameters.Count ? parameters[i].Name : ""),
                Markup.Escape(i < parameters.Count ? parameters[i].Value : ""));
        }

        AnsiConsole.Write(setup);
        foreach (var result in _tables)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(result.Title)}[/]");
            foreach (var (column, index) in result.Columns.Select((c, i) => (c, i)))
            {
                table.AddColumn(new TableColumn(Markup.Escape(column)) { Alignment = index == 0 ? Justify.Left : Justify.Right });
            }

            foreach (var row in result.Rows)
            {
                table.AddRow(row.Select(Markup.Escape).ToArray());
            }

            AnsiConsole.Write(table);
        }

        foreach (var (detailTitle, text) in _details)
        {
            AnsiConsole.Write(new Panel(new Text(text)).Header(Markup.Escape(detailTitle)).Border(BoxBorder.Rounded));
        }

        foreach (var note in _notes)
        {
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
        }
    }

    /// <param name="imageDirectory">Where the charts' SVG files go; the Markdown links them by a path relative to the document.</param>
    public string ToMarkdown(string imageDirectory, string imageName, string imageLinkPrefix = "")
    {
        var markdown = new StringBuilder();
        markdown.AppendLine($"### {title}").AppendLine();
        markdown.AppendLine("| machine | | parameter | |").AppendLine("|---|---|---|---|");
        var machineRows = machine.Rows().ToList();
        for (var i = 0; i < Math.Max(machineRows.Count, parameters.Count); i++)
        {
            markdown.AppendLine(
                $"| {(i < machineRows.Count ? machineRows[i].Name : "")} | {(i < machineRows.Count ? machineRows[i].Value : "")} " +
                $"| {(i < parameters.Count ? parameters[i].Name : "")} | {(i < parameters.Count ? parameters[i].Value : "")} |");
        }

        foreach (var result in _tables)
        {
            markdown.AppendLine().AppendLine($"**{result.Title}**").AppendLine();
            markdown.AppendLine($"| {string.Join(" | ", result.Columns)} |");
            markdown.AppendLine($"|{string.Join("|", result.Columns.Select((_, i) => i == 0 ? "---" : "---:"))}|");
            foreach (var row in result.Rows)
            {
                markdown.AppendLine($"| {string.Join(" | ", row.Select(cell => cell.Replace("|", "\\|")))} |");
            }
        }

        for (var number = 1; number <= _charts.Count; number++)
        {
            var file = $"{imageName}-{number}.svg";
            _charts[number - 1].SaveSvg(Path.Combine(imageDirectory, file));
            markdown.AppendLine().AppendLine($"![{_charts[number - 1].Title}]({imageLinkPrefix}{file})");
        }

        foreach (var (detailTitle, text) in _details)
        {
            markdown.AppendLine().AppendLine($"**{detailTitle}**").AppendLine().AppendLine("```").AppendLine(text.TrimEnd()).AppendLine("```");
        }

        foreach (var note in _notes)
        {
            markdown.AppendLine().AppendLine(note);
        }

        return markdown.ToString();
    }

    public static string Ms(double milliseconds) => milliseconds switch
    {
        double.NaN => "–",
        0 => "0 ms",
        < 1 => $"{milliseconds:0.000} ms",
        < 100 => $"{milliseconds:0.00} ms",
        _ => $"{milliseconds:0} ms",
    };

    public static void Progress(string message) =>
        AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] {Markup.Escape(message)}");
}
