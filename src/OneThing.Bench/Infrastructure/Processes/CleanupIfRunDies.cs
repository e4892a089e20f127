using System.Diagnostics;

namespace OneThing.Bench.Infrastructure.Processes;

/// <summary>
/// A shell command that runs only if the test run dies before disposing this (Ctrl+C, a crash, a killed test host),
/// so a daemonised server and its temp folder are not left behind; a normal disposal cancels it.
/// </summary>
public sealed class CleanupIfRunDies : IDisposable
{
    private readonly Process _watcher;

    /// <param name="script">sh commands; the arguments are $1, $2, … in it.</param>
    public CleanupIfRunDies(string script, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // Away from the test run's stdio first: once the run is gone, writing there could kill the cleanup half-way.
        var watch = $"exec </dev/null >/dev/null 2>&1; run=$1; shift; while kill -0 \"$run\"; do sleep 2; done; {script}";
        foreach (var argument in (string[])["-c", watch, "sh", Environment.ProcessId.ToString(), .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        _watcher = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the cleanup watcher");
    }

    public void Dispose()
    {
        // The whole tree, or the watcher's sleep would linger for its two seconds.
        _watcher.Kill(entireProcessTree: true);
        _watcher.WaitForExit(TimeSpan.FromSeconds(5));
        _watcher.Dispose();
    }
}
