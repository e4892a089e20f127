using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneThing.Bench.Infrastructure;
using OneThing.Processing.Attachments;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;

namespace OneThing.Bench.Sweep;

/// <param name="DueTimerIds">The task-breach timers that are due now, one per task in <paramref name="DueTaskIds"/>.</param>
/// <param name="LastEventId">The newest history row before any sweep; rows after it were written by sweeps.</param>
public sealed record SweepScenario(
    int OpenTasks,
    long PendingTimers,
    IReadOnlyList<long> DueTimerIds,
    IReadOnlyList<Guid> DueTaskIds,
    long LastEventId,
    long DatabaseBytes,
    TimeSpan LoadTime,
    TimeSpan VacuumAndCheckpointTime);

/// <summary>
/// Fills a migrated database with open cases, each with one task in a department's inbox and the six pending timers a
/// filing schedules (case warning and breach; task warning, breach and two escalations), all due in the coming month,
/// except that the first <c>due</c> tasks are past their deadline: their breach timer is due now.
/// </summary>
/// <remarks>
/// One case is filed through the service's own <see cref="FileCase"/>, so the rows have exactly the shape a real
/// filing writes; it is then copied in bulk with INSERT … SELECT over generate_series, and removed. The copies carry no
/// history or outbox rows: the sweep never reads them.
/// </remarks>
public sealed partial class OpenTaskLoader(IServiceProvider services, Action<string>? progress = null)
{
    private static readonly string[] LoadedTables = ["cases", "department_tasks", "timers"];

    private readonly NpgsqlDataSource _dataSource = services.GetRequiredService<NpgsqlDataSource>();

    public async Task<SweepScenario> LoadAsync(int openTasks, int dueTasks, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(openTasks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dueTasks, openTasks);
        var started = TimeProvider.System.GetTimestamp();
        var template = await FileTemplateCaseAsync(cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var parameters = new Dictionary<string, object> { ["template"] = template, ["n"] = openTasks, ["due"] = dueTasks, ["now"] = now };

        var superuser = false;
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await ExecuteAsync(connection, "SET LOCAL maintenance_work_mem = '256MB'", parameters, cancellationToken);
            superuser = await ScalarAsync<bool>(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", cancellationToken);
            if (superuser)
            {
                // The copies are consistent by construction; checking millions of foreign keys row by row would triple the load time.
                await ExecuteAsync(connection, "SET LOCAL session_replication_role = replica", parameters, cancellationToken);
            }

            // Building an index once over all rows is far cheaper than growing it row by row; the same definitions come back.
            var indexes = await DropSecondaryIndexesAsync(connection, cancellationToken);
            foreach (var copy in Copies)
            {
                var sql = await copy.ToSqlAsync(connection, cancellationToken);
                await TimedAsync(copy.Table, () => ExecuteAsync(connection, sql, parameters, cancellationToken));
            }

            await TimedAsync("removing the template case", () => ExecuteAsync(connection, RemoveTemplateSql, parameters, cancellationToken));

            foreach (var (name, definition) in indexes)
            {
                await TimedAsync($"CREATE INDEX {name}", () => ExecuteAsync(connection, definition, parameters, cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var loaded = TimeProvider.System.GetElapsedTime(started);
        started = TimeProvider.System.GetTimestamp();
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
        {
            // Sets the visibility map and the planner's statistics, as autovacuum would have long done on a live system.
            await ExecuteAsync(connection, "VACUUM (ANALYZE) cases, department_tasks, timers, case_events", parameters, cancellationToken);
            if (superuser)
            {
                // Writes the loaded gigabytes out now, not in a checkpoint that would compete with the measured sweeps.
                await ExecuteAsync(connection, "CHECKPOINT", parameters, cancellationToken);
            }
        }

        var vacuumed = TimeProvider.System.GetElapsedTime(started);
        var (timerIds, taskIds) = await ReadDueTimersAsync(now, cancellationToken);
        if (timerIds.Count != dueTasks)
        {
            throw new InvalidOperationException($"Expected {dueTasks} due timers after loading, found {timerIds.Count}");
        }

        await using var reader = await _dataSource.OpenConnectionAsync(cancellationToken);
        return new SweepScenario(
            openTasks,
            await ScalarAsync<long>(reader, "SELECT count(*) FROM timers WHERE fired_at IS NULL AND cancelled_at IS NULL", cancellationToken),
            timerIds,
            taskIds,
            await ScalarAsync<long>(reader, "SELECT coalesce(max(id), 0) FROM case_events", cancellationToken),
            await ScalarAsync<long>(reader, "SELECT pg_database_size(current_database())", cancellationToken),
            loaded,
            vacuumed);
    }

    /// <summary>Puts the fired timers back as due and removes what the sweep wrote, so every sweep does the same work.</summary>
    public async Task RearmAsync(SweepScenario scenario, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var parameters = new Dictionary<string, object>
        {
            ["timers"] = scenario.DueTimerIds.ToArray(),
            ["tasks"] = scenario.DueTaskIds.ToArray(),
            ["lastEvent"] = scenario.LastEventId,
        };
        await ExecuteAsync(connection, "UPDATE timers SET fired_at = NULL WHERE id = ANY(@timers)", parameters, cancellationToken);
        await ExecuteAsync(connection, "UPDATE department_tasks SET breached_at = NULL WHERE id = ANY(@tasks)", parameters, cancellationToken);
        await ExecuteAsync(connection, "DELETE FROM case_events WHERE id > @lastEvent", parameters, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<Guid> FileTemplateCaseAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var clerk = new AuditActor("bench", "clerk", null);
        using var photo = new MemoryStream(IdentityForms.ApplicationFormPhoto());
        var upload = await scope.ServiceProvider.GetRequiredService<UploadAttachment>()
            .HandleAsync(new UploadAttachmentCommand(IdentityForms.ApplicationFormPhotoName, "image/jpeg", photo, clerk), cancellationToken);
        var applicationForm = upload is UploadAttachmentResult.Stored stored
            ? stored.Attachment.Id
            : throw new InvalidOperationException($"Uploading the template case's application form failed: {upload}");
        var result = await scope.ServiceProvider.GetRequiredService<FileCase>()
            .HandleAsync(new FileCaseCommand(IdentityForms.WorkflowId, IdentityForms.Form(0, applicationForm), IdempotencyKey: null, clerk), cancellationToken);
        return result.Value is { } filed
            ? filed.CaseId
            : throw new InvalidOperationException($"Filing the template case failed: {result}");
    }

    private async Task<(List<long> TimerIds, List<Guid> TaskIds)> ReadDueTimersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT id, task_id FROM timers WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= @now ORDER BY due_at", connection);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var (timers, tasks) = (new List<long>(), new List<Guid>());
        while (await reader.ReadAsync(cancellationToken))
        {
            timers.Add(reader.GetInt64(0));
            tasks.Add(reader.GetGuid(1));
        }

        return (timers, tasks);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Drops the plain indexes of the loaded tables (not those behind keys and unique constraints) and returns their definitions.</summary>
    private static async Task<List<(string Name, string Definition)>> DropSecondaryIndexesAsync(NpgsqlConnection connection,
        CancellationToken cancellationToken)
    {
        var indexes = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
              FROM pg_index i
              JOIN pg_class t ON t.oid = i.indrelid
             WHERE t.relname = ANY(@tables) AND t.relnamespace = current_schema()::regnamespace
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
             ORDER BY 1
            """, connection))
        {
            command.Parameters.AddWithValue("tables", LoadedTables);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            await using var drop = new NpgsqlCommand($"DROP INDEX {name}", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return indexes;
    }

    private async Task TimedAsync(string step, Func<Task> action)
    {
        var started = TimeProvider.System.GetTimestamp();
        await action();
        progress?.Invoke($"  {step}: {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, IReadOnlyDictionary<string, object> parameters,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
