using MassTransit;
using Microsoft.Extensions.Logging;
using OneThing.Contracts;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>Listens on a department's own queue and puts each task it receives into that department's inbox.</summary>
public sealed class DepartmentInboxConsumer(AcknowledgeTask acknowledge, ILogger<DepartmentInboxConsumer> logger)
    : IConsumer<RequestDepartmentTask>, IConsumer<CancelDepartmentTask>, IConsumer<UrgeDepartmentTask>
{
    public async Task Consume(ConsumeContext<RequestDepartmentTask> context)
    {
        var task = context.Message;
        using var _ = logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = task.CaseId, ["MessageId"] = context.MessageId });
        var added = await acknowledge.HandleAsync(task.TaskId, $"inbox:{task.Department}", context.CancellationToken);
        logger.LogInformation(added
                ? "Task {TaskId} ({StepId}) is in the inbox of {Department}"
                : "Task {TaskId} ({StepId}) for {Department} was already received; duplicate ignored",
            task.TaskId, task.StepId, task.Department);
    }

    public Task Consume(ConsumeContext<CancelDepartmentTask> context)
    {
        var cancel = context.Message;
        using var _ = logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = cancel.CaseId, ["MessageId"] = context.MessageId });
        // The cause only: a message from an older engine may still carry a clerk's own words in its reason.
        logger.LogInformation("{Department} told that task {TaskId} ({StepId}) is cancelled: {Cause}",
            cancel.Department, cancel.TaskId, cancel.StepId, cancel.Cause ?? "no cause given");
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<UrgeDepartmentTask> context)
    {
        var urge = context.Message;
        using var _ = logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = urge.CaseId, ["MessageId"] = context.MessageId });
        logger.LogInformation("{Department} urged about task {TaskId} ({StepId}) of case {CaseNumber}",
            urge.Department, urge.TaskId, urge.StepId, urge.CaseNumber);
        return Task.CompletedTask;
    }
}
