using System.Net;
using System.Net.Sockets;

namespace OneThing.Bench.Infrastructure.Processes;

/// <summary>
/// Loopback ports for servers that must come back on the same port after a restart. They are taken below the
/// kernel's ephemeral range, so no outgoing connection can sit on one while its server is down.
/// </summary>
public static class FreeTcpPort
{
    private const int Lowest = 20_000;
    private static readonly HashSet<int> Handed = [];
    private static readonly int[] Avoided = [25_672];

    public static int Next()
    {
        var highest = EphemeralRangeStart() - 1;
        lock (Handed)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(Lowest, highest + 1);
                if (!Avoided.Contains(port) && !Handed.Contains(port) && IsFree(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port found between {Lowest} and {highest}");
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static async Task WaitUntilFreeAsync(IEnumerable<int> ports, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in ports)
        {
            while (!IsFree(port))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Port {port} on 127.0.0.1 is still in use after {timeout.TotalSeconds:0} s");
                }

                await Task.Delay(100);
            }
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return Math.Max(Lowest + 1_000, int.Parse(range[0]));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32_768;
        }
    }
}
