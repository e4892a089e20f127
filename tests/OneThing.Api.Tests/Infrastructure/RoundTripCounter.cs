using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Tests.Infrastructure;

/// <summary>
/// Counts what an HTTP request sends to PostgreSQL on the real connection: each command (a batched SaveChanges is
/// one) and each commit or rollback. Only requests carrying <see cref="Header"/> are counted, so the relay, the
/// sweeper and the other background work of the host do not blur the number.
/// </summary>
public sealed class RoundTripCounter : DbCommandInterceptor, IDbTransactionInterceptor
{
    public const string Header = "X-Count-Round-Trips";

    private static readonly AsyncLocal<StrongBox?> Current = new();
    private readonly ConcurrentDictionary<string, List<string>> _byRequest = new();

    /// <summary>Whether what was sent committed: a commit of its own, or a batch that ends with the commit.</summary>
    public static bool Commits(string sent) => sent == "COMMIT" || sent.EndsWith("COMMIT;\n", StringComparison.Ordinal);

    /// <summary>What the request with this header value sent, in order: each command's text, "COMMIT" or "ROLLBACK".</summary>
    public IReadOnlyList<string> SentBy(string requestKey) => _byRequest.TryGetValue(requestKey, out var sent) ? sent : [];

    /// <summary>Counts what <paramref name="work"/> sends under <paramref name="key"/>: background work (a sweep) that a test calls itself.</summary>
    public async Task<T> CountAsync<T>(string key, Func<Task<T>> work)
    {
        var outer = Current.Value;
        Current.Value = new StrongBox { Sent = _byRequest.GetOrAdd(key, _ => []) };
        try
        {
            return await work();
        }
        finally
        {
            Current.Value = outer;
        }
    }

    public static void Register(IServiceCollection services)
    {
        var counter = new RoundTripCounter();
        services.AddSingleton(counter);
        services.ConfigureDbContext<OneThingDbContext>(options => options.AddInterceptors(counter));
        services.AddSingleton<IStartupFilter>(new CountingStartup(counter));
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Count(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result,
        CancellationToken cancellationToken = default)
    {
        Count(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        Count("COMMIT");
        return ValueTask.FromResult(result);
    }

    public ValueTask<InterceptionResult> TransactionRollingBackAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        Count("ROLLBACK");
        return ValueTask.FromResult(result);
    }

    private static void Count(string text)
    {
        if (Current.Value?.Sent is { } sent)
        {
            lock (sent)
            {
                sent.Add(text);
            }
        }
    }

    private sealed class StrongBox
    {
        public List<string>? Sent;
    }

    private sealed class CountingStartup(RoundTripCounter counter) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate proceed) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var key) && key.ToString() is { Length: > 0 } requestKey)
                {
                    Current.Value = new StrongBox { Sent = counter._byRequest.GetOrAdd(requestKey, _ => []) };
                }

                await proceed(context);
            });
            next(app);
        };
    }
}
