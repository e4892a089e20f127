using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Tests.Persistence;

/// <summary>
/// The case lock is a compiled query whose locking clause an interceptor adds: these check on a second connection
/// that the row really is locked, and only the case's row.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class CaseLockTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private const string LockNotAvailable = "55P03";

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_case_locked_by_its_id_cannot_be_locked_by_another_transaction_until_the_first_ends()
    {
        var caseId = (await shared.Api.FileIdentityChangeAsync()).Id;
        // Its first task opened: the inbox consumer no longer locks the case now and then, so only this test's lock is seen.
        await shared.Api.WaitForTaskAsync("household-registration", caseId);
        await using var scope = shared.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();

        await using (await db.Database.BeginTransactionAsync())
        {
            var locked = await CaseLocks.ById(db, caseId, CancellationToken.None);

            Assert.Equal(caseId, locked?.Id);
            Assert.Equal(LockNotAvailable, await TryLockAsync("SELECT 1 FROM cases WHERE id = $1 FOR NO KEY UPDATE NOWAIT", caseId));
        }

        Assert.Null(await TryLockAsync("SELECT 1 FROM cases WHERE id = $1 FOR NO KEY UPDATE NOWAIT", caseId));
    }

    [Fact]
    public async Task A_case_locked_through_its_task_leaves_the_task_row_itself_unlocked()
    {
        var caseId = (await shared.Api.FileIdentityChangeAsync()).Id;
        var task = await shared.Api.WaitForTaskAsync("household-registration", caseId);
        await using var scope = shared.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();

        await using var transaction = await db.Database.BeginTransactionAsync();
        var locked = await CaseLocks.ByTask(db, task.Id, CancellationToken.None);

        Assert.Equal(caseId, locked?.Id);
        Assert.Equal(LockNotAvailable, await TryLockAsync("SELECT 1 FROM cases WHERE id = $1 FOR NO KEY UPDATE NOWAIT", caseId));
        Assert.Null(await TryLockAsync("SELECT 1 FROM department_tasks WHERE id = $1 FOR UPDATE NOWAIT", task.Id));
        Assert.Null(await CaseLocks.ByTask(db, Guid.NewGuid(), CancellationToken.None));
    }

    /// <returns>The SQL state the attempt failed with, or null when it got the lock.</returns>
    private async Task<string?> TryLockAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(shared.Host.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction) { Parameters = { new() { Value = id } } };
        try
        {
            await command.ExecuteScalarAsync();
            return null;
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }
}
