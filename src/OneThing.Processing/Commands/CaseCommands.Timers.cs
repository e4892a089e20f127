using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Commands;

public sealed partial class CaseCommands
{
    public delegate Task<CommandResult<T>> TimerWork<T>(CaseUnit unit, DeadlineTimer timer, DepartmentTask? task, CancellationToken cancellationToken);

    /// <summary>
    /// Fires a due timer: locks its case like every other command, then claims the timer with SKIP LOCKED and reads its
    /// task in one statement, so that with any number of hosts the timer fires once. The claim cannot ride in the lock's
    /// statement: a statement that waited for the case lock reads every row it did not lock itself as it was before the
    /// wait, and the task may have been decided meanwhile.
    /// </summary>
    public Task<CommandResult<T>> OnTimerAsync<T>(DeadlineTimer due, TimerWork<T> work, CancellationToken cancellationToken) =>
        RunAsync(CaseLocks.ById(due.CaseId), taskId: null, async (unit, _, token) =>
        {
            var claimed = await (
                    from timer in db.Timers.FromSql(ClaimTimer(due.Id, due.CaseId))
                    join task in db.DepartmentTasks on timer.TaskId equals (Guid?)task.Id into tasks
                    from task in tasks.DefaultIfEmpty()
                    select new { Timer = timer, Task = task })
                .SingleOrDefaultAsync(token);
            return claimed is null
                ? new Refusal.Conflict("Fired or cancelled meanwhile, or firing on another host.")
                : await work(unit, claimed.Timer, claimed.Task, token);
        }, cancellationToken);

    private static FormattableString ClaimTimer(long timerId, Guid caseId) =>
        $"SELECT * FROM timers WHERE id = {timerId} AND case_id = {caseId} AND fired_at IS NULL AND cancelled_at IS NULL FOR UPDATE SKIP LOCKED";
}
