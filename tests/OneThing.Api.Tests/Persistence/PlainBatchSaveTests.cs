using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Tests.Persistence;

/// <summary>
/// A save inside a transaction is written by the plain batch, not by EF's update pipeline: these check what EF's
/// pipeline guaranteed and the batch must too, on the real database.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class PlainBatchSaveTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task History_lines_saved_together_keep_the_order_they_were_added_in_and_their_generated_ids()
    {
        const int lines = 40;
        await using var filed = await FiledCaseAsync();
        var (caseId, db, history) = (filed.CaseId, filed.Db, filed.History);
        // Each line once, in an order that is neither their text's order nor its reverse (17 and 40 share no factor).
        var details = Enumerable.Range(0, lines).Select(i => $"line {(i * 17) % lines}").ToList();

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            foreach (var detail in details)
            {
                history.Add(caseId, CaseEventTypes.StepReevaluated, detail: detail);
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        var tracked = db.CaseEvents.Local.Where(e => e.Detail?.StartsWith("line ", StringComparison.Ordinal) == true).ToList();
        var stored = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == caseId && e.Detail!.StartsWith("line ")).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(details, stored.Select(e => e.Detail));
        Assert.Equal(stored.Select(e => (e.Id, e.Detail)), tracked.OrderBy(e => e.Id).Select(e => (e.Id, e.Detail)));
        Assert.All(db.ChangeTracker.Entries(), entry => Assert.Equal(EntityState.Unchanged, entry.State));
    }

    [Fact]
    public async Task Changing_a_row_deleted_meanwhile_is_a_concurrency_conflict_and_writes_nothing_of_the_save()
    {
        await using var filed = await FiledCaseAsync();
        var (caseId, db, history) = (filed.CaseId, filed.Db, filed.History);
        var timer = await LostTimerAsync(db, caseId);

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            timer.CancelledAt = DateTimeOffset.UtcNow;
            history.Add(caseId, CaseEventTypes.StepReevaluated, detail: "written with the lost timer");
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
            await transaction.RollbackAsync();
        }

        Assert.False(await db.CaseEvents.AsNoTracking().AnyAsync(e => e.CaseId == caseId && e.Detail == "written with the lost timer"));
    }

    [Fact]
    public async Task A_row_deleted_meanwhile_stops_a_save_that_commits_in_its_batch_before_the_commit()
    {
        await using var filed = await FiledCaseAsync();
        var (caseId, db, history) = (filed.CaseId, filed.Db, filed.History);
        var timer = await LostTimerAsync(db, caseId);

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            history.Add(caseId, CaseEventTypes.StepReevaluated, detail: "committed with the lost timer");
            timer.CancelledAt = DateTimeOffset.UtcNow;
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveAndCommitAsync(transaction, CancellationToken.None));
        }

        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM case_events WHERE detail = 'committed with the lost timer'"));
    }

    [Fact]
    public async Task Saving_and_committing_commits_in_the_batch_itself_and_the_context_goes_on_working()
    {
        await using var filed = await FiledCaseAsync();
        var (caseId, db, history) = (filed.CaseId, filed.Db, filed.History);

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            history.Add(caseId, CaseEventTypes.StepReevaluated, detail: "committed with its batch");
            await db.SaveAndCommitAsync(transaction, CancellationToken.None);

            // Seen from another connection before the transaction object is even disposed: the batch committed.
            Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM case_events WHERE detail = 'committed with its batch'"));
        }

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            history.Add(caseId, CaseEventTypes.StepReevaluated, detail: "the next transaction");
            await db.SaveAndCommitAsync(transaction, CancellationToken.None);
        }

        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM case_events WHERE detail = 'the next transaction'"));
    }

    [Fact]
    public async Task A_commit_refused_at_the_end_of_the_batch_writes_nothing_and_fails_the_save()
    {
        await using var filed = await FiledCaseAsync();
        var (caseId, db, history) = (filed.CaseId, filed.Db, filed.History);
        // A deferred check runs at COMMIT, so the refusal comes from the batch's last statement, not from an INSERT.
        await ScalarAsync("""
            CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'check_violation'; END $$;
            CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON case_events DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.detail = 'refused at commit') EXECUTE FUNCTION refuse_at_commit();
            """);
        try
        {
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                history.Add(caseId, CaseEventTypes.StepReevaluated, detail: "written beside the refused line");
                history.Add(caseId, CaseEventTypes.StepReevaluated, detail: "refused at commit");
                var refusal = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveAndCommitAsync(transaction, CancellationToken.None));
                Assert.Equal(PostgresErrorCodes.CheckViolation, Assert.IsType<PostgresException>(refusal.InnerException).SqlState);
            }

            Assert.Equal(0L, await ScalarAsync(
                "SELECT count(*) FROM case_events WHERE detail IN ('written beside the refused line', 'refused at commit')"));
            db.ChangeTracker.Clear();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                history.Add(caseId, CaseEventTypes.StepReevaluated, detail: "after the refusal");
                await db.SaveAndCommitAsync(transaction, CancellationToken.None);
            }

            Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM case_events WHERE detail = 'after the refusal'"));
        }
        finally
        {
            await ScalarAsync("DROP TRIGGER refuse_at_commit ON case_events; DROP FUNCTION refuse_at_commit();");
        }
    }

    /// <summary>A case just filed, and a scope of the host's services to write to it with.</summary>
    private async Task<FiledCase> FiledCaseAsync()
    {
        var caseId = (await shared.Api.FileIdentityChangeAsync()).Id;
        return new FiledCase(caseId, shared.Host.Services.CreateAsyncScope());
    }

    private sealed record FiledCase(Guid CaseId, AsyncServiceScope Scope) : IAsyncDisposable
    {
        public OneThingDbContext Db => Scope.ServiceProvider.GetRequiredService<OneThingDbContext>();

        public CaseHistory History => Scope.ServiceProvider.GetRequiredService<CaseHistory>();

        public ValueTask DisposeAsync() => Scope.DisposeAsync();
    }

    /// <summary>One of the case's open timers, tracked by <paramref name="db"/> and deleted behind its back.</summary>
    private async Task<DeadlineTimer> LostTimerAsync(OneThingDbContext db, Guid caseId)
    {
        var timer = await db.Timers.Where(t => t.CaseId == caseId && t.FiredAt == null).OrderBy(t => t.Id).FirstAsync();
        await DeleteTimerAsync(timer.Id);
        return timer;
    }

    private async Task DeleteTimerAsync(long timerId)
    {
        await using var connection = new NpgsqlConnection(shared.Host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DELETE FROM timers WHERE id = $1", connection) { Parameters = { new() { Value = timerId } } };
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(shared.Host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
