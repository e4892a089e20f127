using System.Runtime.InteropServices;
using Npgsql;

namespace OneThing.Bench.Infrastructure;

/// <summary>What the numbers were measured on, printed with them so nobody mistakes them for another machine's.</summary>
public sealed record MachineInfo(
    int Cores,
    string Cpu,
    string Memory,
    string OperatingSystem,
    string Runtime,
    string PostgresVersion,
    string PostgresSettings,
    string LoadAverage)
{
    public static async Task<MachineInfo> ReadAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var version = await ScalarAsync(connection, "SHOW server_version", cancellationToken);
        var settings = new List<string>();
        foreach (var name in new[] { "shared_buffers", "max_wal_size", "fsync", "synchronous_commit" })
        {
            settings.Add($"{name}={await ScalarAsync(connection, $"SHOW {name}", cancellationToken)}");
        }

        return new MachineInfo(
            Environment.ProcessorCount,
            ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            ProcField("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], out var total)
                ? $"{total / 1024.0 / 1024.0:0.#} GiB"
                : "unknown",
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            $"PostgreSQL {version}",
            string.Join(", ", settings),
            CurrentLoadAverage());
    }

    /// <summary>The 1, 5 and 15 minute load averages: on a shared machine they say how busy it was besides us.</summary>
    public static string CurrentLoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public IEnumerable<(string Name, string Value)> Rows() =>
    [
        ("cores", Cores.ToString()),
        ("CPU", Cpu),
        ("memory", Memory),
        ("OS", OperatingSystem),
        (".NET", Runtime),
        ("database", PostgresVersion),
        ("settings", PostgresSettings),
        ("load average at start", LoadAverage),
    ];

    private static string? ProcField(string path, string field) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(line => line.StartsWith(field, StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf(':') + 1)..].Trim()).FirstOrDefault()
            : null;

    private static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync(cancellationToken))?.ToString() ?? "";
    }
}
