using MassTransit;
using Microsoft.Extensions.Logging;
using OneThing.Contracts;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>
/// Stands in for a department's own system (e.g. the housing-fund records system), the one boundary we do not
/// own: it acknowledges each task, updates its records and answers over the bus like a real adapter would.
/// </summary>
public sealed class SimulatedDepartmentSystem(TimeProvider clock, ILogger<SimulatedDepartmentSystem> logger)
    : IConsumer<RequestDepartmentTask>, IConsumer<CancelDepartmentTask>
{
    public async Task Consume(ConsumeContext<RequestDepartmentTask> context)
    {
        var task = context.Message;
        using var _ = logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = task.CaseId, ["MessageId"] = context.MessageId });
        await context.Publish(new DepartmentTaskAcknowledged(task.TaskId, task.CaseId, task.Department, clock.GetUtcNow()));
        await context.Publish(new DepartmentTaskCompleted(task.TaskId, task.CaseId, task.StepId, task.Department, Comment: null, clock.GetUtcNow()));
        logger.LogInformation("Department system {Department} completed task {TaskId} ({StepId})", task.Department, task.TaskId, task.StepId);
    }

    public Task Consume(ConsumeContext<CancelDepartmentTask> context)
    {
        logger.LogInformation("Department system {Department} told task {TaskId} is cancelled", context.Message.Department, context.Message.TaskId);
        return Task.CompletedTask;
    }
}
