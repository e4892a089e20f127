using OneThing.Bench.Infrastructure;

namespace OneThing.Bench.Reporting;

/// <summary>One benchmark run on its own: a server for it, its report printed and, when asked, written as Markdown.</summary>
public static class StandaloneRun
{
    /// <param name="imageName">Starts the file names of the report's charts, written beside the Markdown.</param>
    public static async Task<int> RunAsync(string? connection, string? markdownPath, string imageName,
        Func<BenchServer, CancellationToken, Task<Report>> measure, CancellationToken cancellationToken)
    {
        await using var server = await BenchServer.StartAsync(connection, cancellationToken);
        var report = await measure(server, cancellationToken);
        report.Print();
        if (markdownPath is { } path)
        {
            await report.WriteMarkdownAsync(path, imageName, cancellationToken);
        }

        return 0;
    }
}
