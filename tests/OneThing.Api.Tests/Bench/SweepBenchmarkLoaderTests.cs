using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Bench.Infrastructure;
using OneThing.Bench.Sweep;
using OneThing.Processing.Deadlines;

namespace OneThing.Api.Tests.Bench;

/// <summary>The sweep benchmark's loader on a small scale, so the benchmark keeps working as the schema moves on.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SweepBenchmarkLoaderTests(PostgresServer postgres)
{
    private const int OpenTasks = 1_000;
    private const int DueTasks = 10;

    [Fact]
    public async Task The_sweep_fires_exactly_the_due_timers_among_the_loaded_open_tasks_each_time_they_are_rearmed()
    {
        using var host = BenchServices.Build(await postgres.CreateDatabaseAsync());
        await BenchServices.PrepareDatabaseAsync(host.Services, CancellationToken.None);
        var loader = new OpenTaskLoader(host.Services);
        var sweeper = host.Services.GetRequiredService<DeadlineSweeper>();
        var database = host.Services.GetRequiredService<NpgsqlDataSource>();

        var scenario = await loader.LoadAsync(OpenTasks, DueTasks, CancellationToken.None);

        // Six timers per case, less the due tasks' warnings, which have fired.
        Assert.Equal(6 * OpenTasks - DueTasks, scenario.PendingTimers);
        Assert.Equal(OpenTasks, await CountAsync(database, "SELECT count(*) FROM department_tasks WHERE state = 'open'"));
        for (var round = 1; round <= 2; round++)
        {
            Assert.Equal(DueTasks, await sweeper.SweepAsync(CancellationToken.None));

            Assert.Equal(scenario.DueTimerIds.Order(), (await IdsAsync<long>(database, "SELECT id FROM timers WHERE fired_at IS NOT NULL AND kind = 'task-breach'")).Order());
            Assert.Equal(scenario.DueTaskIds.Order(), (await IdsAsync<Guid>(database, "SELECT id FROM department_tasks WHERE breached_at IS NOT NULL")).Order());
            Assert.Equal(DueTasks, await CountAsync(database, "SELECT count(*) FROM case_events WHERE type = 'task-breached'"));
            Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));

            await loader.RearmAsync(scenario, CancellationToken.None);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<T>> IdsAsync<T>(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<T>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetFieldValue<T>(0));
        }

        return ids;
    }
}
