using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Tests.Infrastructure;

/// <summary>The real API host (real PostgreSQL, real in-memory bus) on a database of its own.</summary>
public sealed class OneThingHost(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    : WebApplicationFactory<Program>
{
    public string ConnectionString { get; } = connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:OneThing", ConnectionString);
        builder.UseSetting("Logging:MinimumLevel", "Warning");
        builder.UseSetting("Processing:OutboxPollInterval", "00:00:00.200");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (clock is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton(clock));
        }
    }

    public async Task ResetDataAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        await db.Database.ExecuteSqlRawAsync(
            "TRUNCATE timers, outbox_messages, case_events, department_tasks, cases, case_number_counters RESTART IDENTITY CASCADE");
    }

    public async Task<T> WithDbAsync<T>(Func<OneThingDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OneThingDbContext>());
    }
}
