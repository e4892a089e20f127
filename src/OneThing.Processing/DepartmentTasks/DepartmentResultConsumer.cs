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
        WarnOfFreeText(message.Comment, "comment", message.Department, message.TaskId);
        await decide.HandleAsync(
            new DecideTaskCommand(message.TaskId, Decision.Approve, DepartmentAnswerText.Completion(message.Comment),
                AuditActor.DepartmentSystem(message.Department), DecisionSource.DepartmentSystem),
            context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<DepartmentTaskRejected> context)
    {
        var message = context.Message;
        using var _ = Scope(message.CaseId, context.MessageId);
        WarnOfFreeText(message.Reason, "reason", message.Department, message.TaskId);
        var code = DepartmentAnswerText.RejectionCode(message.ReasonCode);
        if (code != message.ReasonCode)
        {
            logger.LogWarning("Department system {Department} rejected task {TaskId} without a known reasonCode; read as {ReasonCode}",
                message.Department, message.TaskId, code);
        }

        await decide.HandleAsync(
            new DecideTaskCommand(message.TaskId, Decision.Reject, DepartmentAnswerText.Rejection(code, message.Reason),
                AuditActor.DepartmentSystem(message.Department), DecisionSource.DepartmentSystem),
            context.CancellationToken);
    }

    // The text itself is never logged: only that a department still sends some, so that it can be asked to stop.
    private void WarnOfFreeText(string? text, string field, string department, Guid taskId)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            logger.LogWarning("Department system {Department} sent free text in '{Field}' for task {TaskId} (deprecated); kept as its note on the case",
                department, field, taskId);
        }
    }

    private IDisposable? Scope(Guid caseId, Guid? messageId) =>
        logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = caseId, ["MessageId"] = messageId });
}
