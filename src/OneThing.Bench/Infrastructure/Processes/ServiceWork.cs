using System.Globalization;
using System.Text.RegularExpressions;

namespace OneThing.Bench.Infrastructure.Processes;

/// <summary>
/// What the service's processes have spent so far, as the .NET runtime itself counts it (its System.Runtime meter, which
/// every OneThing host exports at /metrics): CPU time and bytes allocated; and each process's resident memory from Linux.
/// Two readings apart give the work a load cost, however many processes shared it.
/// </summary>
public sealed record ServiceWork(double CpuSeconds, double AllocatedBytes, long ResidentBytes, long PeakResidentBytes)
{
    public static readonly ServiceWork None = new(0, 0, 0, 0);

    public ServiceWork Since(ServiceWork earlier) =>
        new(CpuSeconds - earlier.CpuSeconds, AllocatedBytes - earlier.AllocatedBytes, ResidentBytes, PeakResidentBytes);

    public static ServiceWork Sum(IEnumerable<ServiceWork> readings) =>
        readings.Aggregate(None, (total, one) => new ServiceWork(total.CpuSeconds + one.CpuSeconds, total.AllocatedBytes + one.AllocatedBytes,
            total.ResidentBytes + one.ResidentBytes, total.PeakResidentBytes + one.PeakResidentBytes));

    /// <summary>One process's reading: its /metrics scrape and, when its pid is known, its /proc status.</summary>
    public static async Task<ServiceWork> ReadAsync(HttpClient http, Uri baseAddress, int? processId, CancellationToken cancellationToken)
    {
        var scrape = await http.GetStringAsync(new Uri(baseAddress, "/metrics"), cancellationToken);
        var cpu = SumOf(scrape, "dotnet_process_cpu_time_seconds_total");
        var allocated = SumOf(scrape, "dotnet_gc_heap_total_allocated_bytes_total");
        var (resident, peak) = processId is { } pid ? ReadResident(pid) : (0L, 0L);
        return new ServiceWork(cpu, allocated, resident, peak);
    }

    private static double SumOf(string scrape, string metric)
    {
        var total = 0.0;
        var found = false;
        foreach (Match sample in Sample(metric).Matches(scrape))
        {
            total += double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
            found = true;
        }

        return found ? total : throw new InvalidOperationException(
            $"/metrics has no {metric}: the runtime instrumentation is off or the runtime names its counters differently.");
    }

    private static Regex Sample(string metric) =>
        new($@"^{Regex.Escape(metric)}(\{{[^}}]*\}})?\s+(?<value>[0-9.eE+-]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static (long Resident, long Peak) ReadResident(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
        {
            return (0, 0);
        }

        long Kilobytes(string line) => long.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        var lines = File.ReadAllLines(status);
        return (lines.Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Select(Kilobytes).FirstOrDefault(),
            lines.Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Select(Kilobytes).FirstOrDefault());
    }
}
