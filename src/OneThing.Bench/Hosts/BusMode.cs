namespace OneThing.Bench.Hosts;

/// <summary>
/// How the service under test is deployed for one part of a run: everything in one process on the in-memory bus, or
/// RabbitMQ with the API in this process (Hosting:Role=api) beside worker processes and a department adapter, or a
/// service already running at a URL.
/// </summary>
public sealed record BusMode(string Transport, int Workers, Uri? Url = null)
{
    public const string InMemory = "inmemory";
    public const string RabbitMq = "rabbitmq";
    public const string Remote = "remote";

    public static readonly string[] Transports = [InMemory, RabbitMq];

    public bool UsesRabbitMq => Transport == RabbitMq;

    public string Title => Transport switch
    {
        RabbitMq => $"RabbitMQ, {Workers} worker{(Workers == 1 ? "" : "s")}",
        Remote => $"at {Url}",
        _ => "in-memory",
    };

    /// <summary>Part of the mode's database name.</summary>
    public string Key => UsesRabbitMq ? $"rabbitmq_{Workers}" : Transport;

    public static BusMode At(Uri url) => new(Remote, 0, url);

    /// <summary>Each transport once, in the order given; RabbitMQ once per worker count.</summary>
    public static IReadOnlyList<BusMode> Combine(IEnumerable<string> transports, IEnumerable<int> workerCounts) =>
        transports.Distinct()
            .SelectMany(transport => transport == RabbitMq
                ? workerCounts.Distinct().Select(workers => new BusMode(transport, workers))
                : [new BusMode(transport, 0)])
            .ToList();
}
