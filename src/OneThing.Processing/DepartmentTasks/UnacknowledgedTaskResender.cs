using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneThing.Contracts;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>
/// The in-memory bus forgets messages when the process dies, and a department system may drop one: a task that no
/// department has acknowledged within the timeout is sent again, and an automated task whose department system
/// acknowledged it but never answered is asked again, through the outbox like the first time.
/// </summary>
public sealed class UnacknowledgedTaskResender(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    TimeProvider clock,
    IOptions<ProcessingOptions> options,
    ILogger<UnacknowledgedTaskResender> logger) : ResendLoop(outbox, clock, options, logger)
{
    public override async Task<int> ResendAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var history = scope.ServiceProvider.GetRequiredService<CaseHistory>();
        var now = Clock.GetUtcNow();
        var acknowledgeCutoff = now - Options.AcknowledgeTimeout;
        var answerCutoff = now - Options.AnswerTimeout;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // NO KEY UPDATE: timers and history rows referencing these tasks take key-share locks that must not wait on us.
        var overdue = await db.DepartmentTasks
            .FromSql($"""
                SELECT * FROM department_tasks
                WHERE ((state = 'dispatched' AND last_dispatched_at < {acknowledgeCutoff})
                    OR (state = 'open' AND kind = 'automated' AND last_dispatched_at < {answerCutoff}))
                  -- A message still waiting in the outbox (the broker is down) is late, not lost: no second copy. A row set aside
                  -- as unpublishable never goes, so it does not hold back the re-send.
                  AND NOT EXISTS (SELECT 1 FROM outbox_messages o WHERE o.published_at IS NULL AND o.set_aside_at IS NULL AND o.case_id = department_tasks.case_id)
                ORDER BY last_dispatched_at LIMIT 100 FOR NO KEY UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);
        if (overdue.Count == 0)
        {
            return 0;
        }

        var caseIds = overdue.Select(t => t.CaseId).Distinct().ToList();
        var cases = await db.Cases.AsNoTracking()
            .Where(c => caseIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => new { c.CaseNumber, c.WorkflowId }, cancellationToken);
        foreach (var task in overdue)
        {
            task.DispatchAttempts++;
            task.LastDispatchedAt = now;
            outbox.Enqueue(
                new RequestDepartmentTask(task.Id, task.CaseId, cases[task.CaseId].CaseNumber, cases[task.CaseId].WorkflowId,
                    task.StepId, task.Department, StoredNames.Of(task.Kind), task.DispatchAttempts),
                task.CaseId,
                DepartmentQueues.For(task.Department, task.Kind));
            var unanswered = task.State == TaskState.Open;
            history.Add(task.CaseId, CaseEventTypes.TaskRedispatched, task.StepId, task.Id,
                detail: unanswered ? $"attempt {task.DispatchAttempts}: acknowledged, not answered" : $"attempt {task.DispatchAttempts}");
            Logger.LogWarning("Task {TaskId} of case {CaseId} not {Missing} by {Department}; sending attempt {Attempt}",
                task.Id, task.CaseId, unanswered ? "answered" : "acknowledged", task.Department, task.DispatchAttempts);
        }

        await db.SaveAndCommitAsync(transaction, cancellationToken);
        return overdue.Count;
    }
}
