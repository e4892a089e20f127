using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Commands;

public sealed partial class CaseCommands
{
    public delegate Task<CommandResult<T>> TimerWork<T>(CaseUnit unit, DeadlineTimer timer, DepartmentTask? task, CancellationToken cancellationToken);

    private sealed record ClaimedTimer(DeadlineTimer Timer, DepartmentTask? Task);

    private static readonly Func<OneThingDbContext, long, Guid, CancellationToken, Task<ClaimedTimer?>> ClaimTimer =
        EF.CompileAsyncQuery((OneThingDbContext db, long timerId, Guid caseId, CancellationToken _) => (
                from timer in db.Timers.TagWith(RowLocks.TimerClaim)
                where timer.Id == timerId && timer.CaseId == caseId && timer.FiredAt == null && timer.CancelledAt == null
                join task in db.DepartmentTasks on timer.TaskId equals (Guid?)task.Id into tasks
                from task in tasks.DefaultIfEmpty()
                select new ClaimedTimer(timer, task))
            .SingleOrDefault());

    /// <summary>
    /// Fires a due timer: locks its case like every other command, then claims the timer with SKIP LOCKED and reads its
    /// task in one statement, so that with any number of hosts the timer fires once. The claim cannot ride in the lock's
    /// statement: a statement that waited for the case lock reads every row it did not lock itself as it was before the
    /// wait, and the task may have been decided meanwhile.
    /// </summary>
    public Task<CommandResult<T>> OnTimerAsync<T>(DeadlineTimer due, TimerWork<T> work, CancellationToken cancellationToken) =>
        RunAsync(token => CaseLocks.ById(db, due.CaseId, token), taskId: null, async (unit, _, token) =>
            await ClaimTimer(db, due.Id, due.CaseId, token) is { } claimed
                ? await work(unit, claimed.Timer, claimed.Task, token)
                : new Refusal.Conflict("Fired or cancelled meanwhile, or firing on another host."), cancellationToken);
}
