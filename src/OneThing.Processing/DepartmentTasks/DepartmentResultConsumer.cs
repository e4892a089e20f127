using OneThing.Processing.Audit;
using MassTransit;
using Microsoft.Extensions.Logging;
using OneThing.Contracts;
using OneThing.Engine;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>The engine's side of the bus: what department systems answer is applied to the case.</summary>
public sealed class DepartmentResultConsumer(AcknowledgeTask acknowledge, DecideTask decide, ILogger<DepartmentResultConsumer> logger)
    : IConsumer<DepartmentTaskAcknowledged>, IConsumer<DepartmentTaskCompleted>, IConsumer<DepartmentTaskRejected>
{
    public async Task Consume(ConsumeContext<DepartmentTaskAcknowledged> context)
    {
        using var _ = Scope(context.Message.CaseId, context.MessageId);
        await acknowledge.HandleAsync(context.Message.TaskId, $"system:{context.Message.Department}", context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<DepartmentTaskCompleted> context)
    {
        var message = context.Message;
        using var _ = Scope(message.CaseId, context.MessageId);
        await decide.HandleAsync(
            new DecideTaskCommand(message.TaskId, Decision.Approve, message.Comment, AuditActor.DepartmentSystem(message.Department), DecisionSource.DepartmentSystem),
            context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<DepartmentTaskRejected> context)
    {
        var message = context.Message;
        using var _ = Scope(message.CaseId, context.MessageId);
        await decide.HandleAsync(
            new DecideTaskCommand(message.TaskId, Decision.Reject, message.Reason, AuditActor.DepartmentSystem(message.Department), DecisionSource.DepartmentSystem),
            context.CancellationToken);
    }

    private IDisposable? Scope(Guid caseId, Guid? messageId) =>
        logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = caseId, ["MessageId"] = messageId });
}
