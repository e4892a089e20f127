using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using OneThing.Api.Extensions;
using OneThing.Processing.Applicants;

namespace OneThing.Api.Public;

public sealed class PublicApiOptions
{
    public const string Section = "PublicApi";

    /// <summary>Requests per client address and minute to the public endpoints: enough for an applicant, too few to guess digits.</summary>
    public int PermitsPerMinute { get; set; } = 20;
}

/// <summary>
/// One fixed window per client address, counted in PostgreSQL so that every API node adds to the same count: an
/// in-process limiter would let N nodes allow N times the limit. A window opens with a client's first request, as
/// ASP.NET's fixed-window limiter does, and the address is stored only as a hash.
/// </summary>
internal sealed class PublicRateLimitCounter(NpgsqlDataSource dataSource)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // The database's clock, not the node's: nodes whose clocks drift apart still agree on when a window ends.
    private const string CountSql = """
        INSERT INTO rate_limit_windows AS w (partition_key, window_start, hits) VALUES ($1, now(), 1)
        ON CONFLICT (partition_key) DO UPDATE SET
            window_start = CASE WHEN w.window_start <= now() - $2 THEN now() ELSE w.window_start END,
            hits         = CASE WHEN w.window_start <= now() - $2 THEN 1 ELSE w.hits + 1 END
        RETURNING hits, window_start + $2 - now()
        """;

    private const string PurgeSql = "DELETE FROM rate_limit_windows WHERE window_start <= now() - $1";

    /// <returns>The requests counted in the client's current window, this one included, and the time until it ends.</returns>
    public async Task<(int Hits, TimeSpan WindowLeft)> CountAsync(IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CountSql);
        command.Parameters.Add(new NpgsqlParameter { Value = PartitionKey(clientAddress) });
        command.Parameters.Add(new NpgsqlParameter { Value = Window });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), reader.GetFieldValue<TimeSpan>(1));
    }

    /// <summary>An ended window counts for nothing: the next request would start afresh anyway.</summary>
    public async Task<int> PurgeEndedWindowsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(PurgeSql);
        command.Parameters.Add(new NpgsqlParameter { Value = Window });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Client addresses are personal data (PIPL). A hash keeps them out of the table in clear; since the IPv4 space can
    /// be searched, the real protection is that rows are purged within minutes (<see cref="RateLimitWindowPurge"/>).
    /// </summary>
    private static string PartitionKey(IPAddress? clientAddress) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"public-api:{Client(clientAddress)}")));

    /// <summary>
    /// An IPv6 subscriber is handed a whole /64 and picks any address in it at will: counted one by one, a single
    /// client would have 2^64 quotas. An IPv4 address that arrives mapped into IPv6 is the same client as the plain one.
    /// </summary>
    public static string Client(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}

internal sealed class PublicRateLimitFilter(PublicRateLimitCounter counter, IOptions<PublicApiOptions> options) : IEndpointFilter
{
    public const string TooManyRequests = "Too many look-ups from this address; wait a minute and try again. 查询过于频繁，请稍后再试。";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (hits, windowLeft) = await counter.CountAsync(http.Connection.RemoteIpAddress, http.RequestAborted);
        if (hits <= options.Value.PermitsPerMinute)
        {
            return await next(context);
        }

        CommandProblems.SetRetryAfter(http.Response, windowLeft);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: TooManyRequests);
    }
}

internal static class PublicRateLimit
{
    public static WebApplicationBuilder AddPublicRateLimit(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<PublicApiOptions>(builder.Configuration.GetSection(PublicApiOptions.Section));
        builder.Services.AddSingleton<PublicRateLimitCounter>();
        // The case-number lock's settings sit in the same section: PublicApi:WrongDigitsPerCaseNumber, PublicApi:CaseNumberLockDuration.
        builder.Services.Configure<CaseNumberLockOptions>(builder.Configuration.GetSection(PublicApiOptions.Section));
        builder.Services.AddHostedService<RateLimitWindowPurge>();
        // The pipeline still calls UseRateLimiter, which refuses to start without these services; with no policy it limits nothing.
        builder.Services.AddRateLimiter(_ => { });
        return builder;
    }

    /// <summary>Counted after routing and binding, so a request the endpoint could never answer is not counted.</summary>
    public static RouteGroupBuilder RequirePublicRateLimit(this RouteGroupBuilder group) =>
        group.AddEndpointFilter<PublicRateLimitFilter>().ProducesProblem(StatusCodes.Status429TooManyRequests);
}
