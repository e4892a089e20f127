using System.Diagnostics;

namespace OneThing.Bench.Infrastructure.Processes;

/// <summary>
/// A child process whose stdout and stderr go straight to a log file. The shell hands the file to the child and then
/// becomes it, so the log survives a crash of the test run and no pipe can fill up while nobody reads it.
/// </summary>
public sealed class LoggedProcess : IDisposable
{
    /// <summary>
    /// Execs the command with its output in the log. A watcher forked first ends it (SIGTERM, then SIGKILL) if the test
    /// run dies without disposing it, e.g. on Ctrl+C, so brokers and hosts are not left behind holding ports.
    /// </summary>
    private const string Launcher = """
        log=$1; run=$2; shift 2
        (
          while kill -0 "$run" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 2; done
          if kill -0 $$ 2>/dev/null; then
            kill -TERM $$
            waited=0
            while [ $waited -lt 20 ] && kill -0 $$ 2>/dev/null; do sleep 1; waited=$((waited + 1)); done
            kill -0 $$ 2>/dev/null && kill -KILL $$
          fi
        ) </dev/null >/dev/null 2>&1 &
        exec "$@" </dev/null >>"$log" 2>&1
        """;

    private readonly Process _process;

    private LoggedProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static LoggedProcess Start(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, string logPath)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in (string[])["-c", Launcher, "sh", logPath, Environment.ProcessId.ToString(), fileName, .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}");
        return new LoggedProcess(process, logPath);
    }

    /// <summary>SIGTERM, so the process can shut down cleanly; the whole tree is killed if it has not exited in time.</summary>
    /// <returns>True when the process exited by itself within the grace period.</returns>
    public async Task<bool> TerminateAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return true;
        }

        using (var signal = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString()]) { UseShellExecute = false }))
        {
            await signal!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return false;
        }
    }

    /// <summary>SIGKILL to the process and everything it started, as a crash would end them.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited on its own in the meantime.
        }

        _process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    public string ReadLogTail(int lines = 40) => ReadTail(LogPath, lines);

    /// <summary>
    /// The last lines of a log without stack frames: a .NET host that fails to start prints a hundred of them, which
    /// would push the exception messages, the part that tells what went wrong, out of the tail.
    /// </summary>
    public static string ReadTail(string logPath, int lines)
    {
        try
        {
            using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            var withoutFrames = all.Where(line => !IsStackFrame(line)).ToList();
            var tail = string.Join('\n', withoutFrames.TakeLast(lines));
            return withoutFrames.Count == all.Length ? tail : $"{tail}\n({all.Length - withoutFrames.Count} stack frame lines left out; see {logPath})";
        }
        catch (IOException exception)
        {
            return $"(log {logPath} could not be read: {exception.Message})";
        }
    }

    public void Dispose() => _process.Dispose();

    private static bool IsStackFrame(string line) =>
        line.StartsWith("   at ", StringComparison.Ordinal) || line.StartsWith("--- End of ", StringComparison.Ordinal);
}
