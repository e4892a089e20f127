using System.Net;

namespace OneThing.Bench.Infrastructure.Processes;

/// <summary>
/// A OneThing host (the API, the worker, the department adapter) as a real child process: `dotnet` with the built dll,
/// its own environment and a loopback port that stays the same across restarts. Its output goes to a log file that is
/// kept when the process fails to come up or dies unexpectedly (the error names it), and deleted otherwise unless
/// ONETHING_KEEP_TEST_LOGS is set.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly IReadOnlyDictionary<string, string?> _environment;
    private LoggedProcess? _process;
    private bool _keepLog = Environment.GetEnvironmentVariable("ONETHING_KEEP_TEST_LOGS") is { Length: > 0 };
    private int _starts;
    private bool _stoppedByTest;

    /// <param name="project">A project under src/, e.g. OneThing.Worker; its dll must have been built.</param>
    /// <param name="environment">Variables for the process on top of the test run's own; a null value removes one.</param>
    /// <param name="name">Tells processes of the same project apart in logs and errors, e.g. worker-2.</param>
    /// <param name="dllPath">The host's dll when it is not the built one, e.g. a published copy; by default the build's.</param>
    public ServiceProcess(string project, IReadOnlyDictionary<string, string?> environment, string? name = null, string? dllPath = null)
    {
        DllPath = dllPath ?? BuiltProjects.Dll(project);
        Name = name ?? project;
        _environment = environment;
        Port = FreeTcpPort.Next();
        LogDirectory = Path.Combine(Path.GetTempPath(), $"onething-processes-{Environment.ProcessId}");
        Directory.CreateDirectory(LogDirectory);
        LogPath = Path.Combine(LogDirectory, $"{Name}-{Port}.log");
    }

    public string Name { get; }

    public string DllPath { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public string LogDirectory { get; }

    /// <summary>One file for all starts of this process, each start marked in it.</summary>
    public string LogPath { get; }

    public int? ProcessId => _process is { HasExited: false } ? _process.Id : null;

    public bool IsRunning => _process is { HasExited: false };

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Launches the process without waiting for it; see <see cref="WaitUntilReadyAsync"/>.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running (pid {_process!.Id})");
        }

        // The previous instance's socket may linger for a moment after a kill.
        await FreeTcpPort.WaitUntilFreeAsync([Port], TimeSpan.FromSeconds(15));
        _starts++;
        _stoppedByTest = false;
        await File.AppendAllTextAsync(LogPath, $"=== start {_starts} of {Name} at {DateTime.UtcNow:O}: dotnet {DllPath} --urls {BaseAddress}\n");
        _process?.Dispose();
        _process = LoggedProcess.Start(
            BuiltProjects.DotnetHost, [DllPath, "--urls", $"http://127.0.0.1:{Port}"], _environment, Path.GetDirectoryName(DllPath)!, LogPath);
    }

    public async Task StartAndWaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        await StartAsync();
        await WaitUntilReadyAsync(timeout);
    }

    /// <summary>Polls GET /health/ready until it answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + limit;
        var last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (_process is null || _process.HasExited)
            {
                throw Failure(_process is null ? "was never started" : $"exited with code {_process.ExitCode} before it was ready");
            }

            var (ready, answer) = await ProbeReadyAsync();
            if (ready)
            {
                return;
            }

            last = answer;
            await Task.Delay(200);
        }

        throw Failure($"was not ready within {limit.TotalSeconds:0} s (last /health/ready: {last})");
    }

    /// <summary>Whether GET /health/ready answers 200 now; false when it answers anything else or nothing.</summary>
    public async Task<bool> IsReadyAsync() => (await ProbeReadyAsync()).Ready;

    /// <summary>kill -9 of the process and anything it started: a crash, no shutdown hooks run.</summary>
    public void Kill()
    {
        _stoppedByTest = true;
        _process?.Kill();
    }

    /// <summary>SIGTERM, the way an orchestrator stops a host; killed if it has not shut down within the grace period.</summary>
    /// <returns>True when it shut down by itself in time.</returns>
    public async Task<bool> StopAsync(TimeSpan? grace = null)
    {
        _stoppedByTest = true;
        return _process is null || await _process.TerminateAsync(grace ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the process if it still runs, starts it again with the same environment and port, and waits until it is ready.</summary>
    public async Task RestartAsync(TimeSpan? readyTimeout = null)
    {
        Kill();
        await StartAndWaitUntilReadyAsync(readyTimeout);
    }

    /// <summary>Keeps the log after disposal, e.g. when the test saw something worth reading in it.</summary>
    public void KeepLog() => _keepLog = true;

    public string ReadLogTail(int lines = 40) => LoggedProcess.ReadTail(LogPath, lines);

    /// <summary>
    /// Runs a test body; when it fails, the processes' logs are kept and the error carries their paths and last lines,
    /// which is where a fault test's cause usually is.
    /// </summary>
    public static async Task KeepingLogsOnFailureAsync(IReadOnlyCollection<ServiceProcess> processes, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception exception)
        {
            var logs = processes.Select(process =>
            {
                process.KeepLog();
                return $"--- {process.Name}: {process.LogPath}\n{process.ReadLogTail()}";
            });
            throw new ProcessFailureException($"{exception.Message}\n{string.Join('\n', logs)}", exception);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            // A host that died without being told to is what someone will want to read about.
            _keepLog |= _process.HasExited && !_stoppedByTest;

            _process.Kill();
            _process.Dispose();
            _process = null;
        }

        if (!_keepLog)
        {
            DeleteLog();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes the log, and the run's log folder once it is empty.</summary>
    public void DeleteLog()
    {
        File.Delete(LogPath);
        try
        {
            if (!Directory.EnumerateFileSystemEntries(LogDirectory).Any())
            {
                Directory.Delete(LogDirectory);
            }
        }
        catch (IOException)
        {
            // Another process of the run has just written its log there.
        }
    }

    private async Task<(bool Ready, string Answer)> ProbeReadyAsync()
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri(BaseAddress, "health/ready"));
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return (false, exception.Message);
        }
    }

    private InvalidOperationException Failure(string what)
    {
        _keepLog = true;
        return new InvalidOperationException($"{Name} ({DllPath}, port {Port}) {what}. Log: {LogPath}\n{ReadLogTail()}");
    }
}
