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
        var caseId = (await shared.Api.FileIdentityChangeAsync()).Id;
        await using var scope = shared.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        var history = scope.ServiceProvider.GetRequiredService<CaseHistory>();
        var details = Enumerable.Range(0, 40).Select(i => $"line {(i * 17) % 40}").ToList();

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
        Assert.Equal(stored.Select(e => e.Id).Order(), tracked.Select(e => e.Id).Order());
        Assert.All(db.ChangeTracker.Entries(), entry => Assert.Equal(EntityState.Unchanged, entry.State));
    }

    [Fact]
    public async Task Changing_a_row_deleted_meanwhile_is_a_concurrency_conflict_and_writes_nothing_of_the_save()
    {
        var caseId = (await shared.Api.FileIdentityChangeAsync()).Id;
        await using var scope = shared.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        var history = scope.ServiceProvider.GetRequiredService<CaseHistory>();
        var timer = await db.Timers.Where(t => t.CaseId == caseId && t.FiredAt == null).OrderBy(t => t.Id).FirstAsync();
        await DeleteTimerAsync(timer.Id);

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            timer.CancelledAt = DateTimeOffset.UtcNow;
            history.Add(caseId, CaseEventTypes.StepReevaluated, detail: "written with the lost timer");
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
            await transaction.RollbackAsync();
        }

        Assert.False(await db.CaseEvents.AsNoTracking().AnyAsync(e => e.CaseId == caseId && e.Detail == "written with the lost timer"));
    }

    private async Task DeleteTimerAsync(long timerId)
    {
        await using var connection = new NpgsqlConnection(shared.Host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DELETE FROM timers WHERE id = $1", connection) { Parameters = { new() { Value = timerId } } };
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
