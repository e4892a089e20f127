using MassTransit;
using Microsoft.Extensions.Options;
using OneThing.Contracts;
using OneThing.Contracts.Codes;

namespace OneThing.DepartmentAdapter;

/// <summary>
/// Plays a department's own system: acknowledges each task, updates its records and answers. Both answers are held
/// by the endpoint's in-memory outbox until this consumer returns, and the request is acked to the broker only after
/// they were published, so a crash anywhere here means the request comes again, never that an answer is lost.
/// </summary>
public sealed class DepartmentSystem(
    DepartmentRecords records,
    IOptions<DepartmentAdapterOptions> options,
    TimeProvider clock,
    ILogger<DepartmentSystem> logger)
    : IConsumer<RequestDepartmentTask>, IConsumer<CancelDepartmentTask>, IConsumer<UrgeDepartmentTask>
{
    public async Task Consume(ConsumeContext<RequestDepartmentTask> context)
    {
        var task = context.Message;
        using var _ = Scope(context, task.TaskId, task.CaseId, task.Department, task.StepId);
        EnsureForThisQueue(context, task);

        if (records.IsCancelled(task.TaskId))
        {
            logger.LogInformation("Task {TaskId} was cancelled before its request (attempt {Attempt}) arrived; not answering", task.TaskId, task.Attempt);
            return;
        }

        if (records.TryGetDone(task.TaskId, out var done))
        {
            logger.LogInformation("Task {TaskId} requested again (attempt {Attempt}); answering again with the recorded {Answer}",
                task.TaskId, task.Attempt, done.Answer);
            await AnswerAsync(context, done);
            return;
        }

        var acknowledgedAt = clock.GetUtcNow();
        if (options.Value.AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.Value.AnswerDelay, clock, context.CancellationToken);
        }

        var record = records.Keep(UpdateRecords(task, acknowledgedAt));
        await AnswerAsync(context, record);
        logger.LogInformation("Department system {Department} {Answer} task {TaskId} of case {CaseId} ({StepId}, attempt {Attempt})",
            task.Department, record.Answer, task.TaskId, task.CaseId, task.StepId, task.Attempt);
    }

    public Task Consume(ConsumeContext<CancelDepartmentTask> context)
    {
        var cancel = context.Message;
        using var _ = Scope(context, cancel.TaskId, cancel.CaseId, cancel.Department, cancel.StepId);
        records.MarkCancelled(cancel.TaskId, clock.GetUtcNow());
        logger.LogInformation("Department system {Department} told task {TaskId} of case {CaseId} is cancelled ({StepId}): {Cause}",
            cancel.Department, cancel.TaskId, cancel.CaseId, cancel.StepId, cancel.Cause ?? "no cause given");
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<UrgeDepartmentTask> context)
    {
        var urge = context.Message;
        using var _ = Scope(context, urge.TaskId, urge.CaseId, urge.Department, urge.StepId);
        // A machine does not hurry when urged; the urge is logged so an operator sees it reached the system.
        logger.LogInformation("Department system {Department} urged about task {TaskId} of case {CaseId} ({StepId})",
            urge.Department, urge.TaskId, urge.CaseId, urge.StepId);
        return Task.CompletedTask;
    }

    private DepartmentRecord UpdateRecords(RequestDepartmentTask task, DateTimeOffset acknowledgedAt)
    {
        var rejected = options.Value.RejectSteps.Contains(task.StepId, StringComparer.Ordinal);
        return new DepartmentRecord(
            task.TaskId,
            task.CaseId,
            task.StepId,
            task.Department,
            rejected ? DepartmentAnswer.Rejected : DepartmentAnswer.Completed,
            rejected ? RejectionReasonCodes.Other : null,
            acknowledgedAt,
            clock.GetUtcNow());
    }

    private static async Task AnswerAsync(ConsumeContext context, DepartmentRecord record)
    {
        await context.Publish(new DepartmentTaskAcknowledged(record.TaskId, record.CaseId, record.Department, record.AcknowledgedAt));
        if (record.Answer == DepartmentAnswer.Completed)
        {
            await context.Publish(new DepartmentTaskCompleted(record.TaskId, record.CaseId, record.StepId, record.Department, Comment: null, record.AnsweredAt));
        }
        else
        {
            await context.Publish(new DepartmentTaskRejected(record.TaskId, record.CaseId, record.StepId, record.Department, Reason: null, record.AnsweredAt,
                record.ReasonCode ?? RejectionReasonCodes.Other));
        }
    }

    private static void EnsureForThisQueue(ConsumeContext context, RequestDepartmentTask task)
    {
        if (task.TaskId == Guid.Empty || task.CaseId == Guid.Empty || string.IsNullOrEmpty(task.Department) || string.IsNullOrEmpty(task.StepId))
        {
            throw new UnanswerableRequestException("The request lacks its task id, case id, department or step id.");
        }

        var queue = context.ReceiveContext.InputAddress.AbsolutePath.Split('/').Last();
        if (queue != DepartmentSystemQueue.For(task.Department))
        {
            throw new UnanswerableRequestException(
                $"A request for department '{task.Department}' arrived on {queue}; answering would speak for the wrong department.");
        }
    }

    // A message-template scope: readable on the plain console, and each value a field with the JSON formatter.
    private IDisposable? Scope(ConsumeContext context, Guid taskId, Guid caseId, string department, string stepId) =>
        logger.BeginScope("TaskId:{TaskId} CaseId:{CaseId} Department:{Department} StepId:{StepId} MessageId:{MessageId}",
            taskId, caseId, department, stepId, context.MessageId);
}
