using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.DepartmentTasks;

public enum DecisionSource
{
    Reviewer,
    DepartmentSystem,
}

/// <param name="Actor">The reviewer signed in, or the department system answering over the bus.</param>
/// <param name="Outcome">The reviewer's choice among the step's declared outcomes (e.g. resolved); null for a plain approval.</param>
/// <param name="Provided">Values of the form fields the step provides (e.g. the credit code a licence step issues).</param>
/// <param name="Departments">The departments a triage step's reviewer chose.</param>
public sealed record DecideTaskCommand(Guid TaskId, Decision Decision, string? Comment, AuditActor Actor, DecisionSource Source, string? Outcome = null,
    System.Text.Json.JsonElement? Provided = null, IReadOnlyList<string>? Departments = null);

/// <summary>
/// A department decides its task, by a reviewer through the API or by its own system over the bus. Decisions from
/// the bus may arrive twice; a repeat changes nothing.
/// </summary>
public sealed class DecideTask(
    OneThingDbContext db,
    WorkflowRegistry workflows,
    CaseWriter writer,
    AuditTrail audit,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<DecideTask> logger)
{
    public async Task<TaskCommandResult> HandleAsync(DecideTaskCommand command, CancellationToken cancellationToken)
    {
        var caseId = await db.DepartmentTasks.AsNoTracking()
            .Where(t => t.Id == command.TaskId)
            .Select(t => (Guid?)t.CaseId)
            .SingleOrDefaultAsync(cancellationToken);
        if (caseId is null)
        {
            return TaskCommandResult.NotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.LockCaseAsync(caseId.Value, cancellationToken);
        var task = await db.DepartmentTasks.SingleAsync(t => t.Id == command.TaskId, cancellationToken);

        if (Refusal(task, command) is { } refusal)
        {
            return refusal;
        }

        var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
        var now = clock.GetUtcNow();
        var form = CaseWriter.ReadForm(record);
        if (command.Decision == Decision.Approve && command.Source == DecisionSource.Reviewer)
        {
            var (provided, problem) = MergeProvided(definition, definition.FindStep(task.StepId)!, form, command.Provided);
            if (problem is not null)
            {
                return TaskCommandResult.Invalid(problem);
            }

            form = provided!;
            record.Form = form.ToJson().GetRawText();
        }

        var result = CaseEngine.Apply(definition, CaseWriter.ReadState(record), form,
            new StepDecided(task.StepId, task.Id, command.Decision, command.Comment, command.Actor.Name, command.Outcome, task.Department, command.Departments), now);

        switch (result)
        {
            case Refused refused:
                logger.LogWarning("Decision on task {TaskId} of case {CaseId} refused: {Reason}", task.Id, record.Id, refused.Reason);
                return command.Source == DecisionSource.DepartmentSystem ? TaskCommandResult.Done
                    : refused.Reason == RefusalReason.InvalidOutcome ? TaskCommandResult.Invalid(refused.Message)
                    : refused.Reason == RefusalReason.InvalidChoice ? TaskCommandResult.Invalid(refused.Message, "departments")
                    : TaskCommandResult.Conflict(refused.Message);
            case AlreadyApplied:
                return TaskCommandResult.Done;
            case Applied applied:
                task.State = command.Decision == Decision.Approve ? TaskStates.Approved : TaskStates.Rejected;
                task.EndedAt = now;
                task.Comment = command.Comment;
                var step = applied.State.FindStep(task.StepId);
                task.Outcome = task.Chosen ? step?.Chosen.Find(chosen => chosen.TaskId == task.Id)?.Outcome : step?.Outcome;
                task.Assignee ??= command.Actor.Name;
                await writer.CancelTaskTimersAsync(task.Id, cancellationToken);
                writer.AddEvent(record.Id,
                    command.Decision == Decision.Approve ? CaseEventTypes.TaskApproved : CaseEventTypes.TaskRejected,
                    task.StepId, task.Id, command.Actor.Name, command.Outcome is null ? command.Comment : $"[{command.Outcome}] {command.Comment}".TrimEnd());
                audit.Add(command.Actor, command.Decision == Decision.Approve ? AuditActions.TaskApproved : AuditActions.TaskRejected,
                    AuditTargets.Task, task.Id.ToString(), $"case {record.CaseNumber}, step {task.StepId}{(command.Outcome is null ? "" : $", outcome {command.Outcome}")}");
                await writer.ApplyAsync(record, applied, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                outbox.Notify();
                logger.LogInformation("Task {TaskId} ({StepId}) of case {CaseId} {Decision}; case is {Status}",
                    task.Id, task.StepId, record.Id, task.State, record.Status);
                return TaskCommandResult.Done;
            default:
                throw new InvalidOperationException($"Unexpected engine result {result.GetType().Name}");
        }
    }

    /// <summary>The step's provided fields merged into the form, or what is wrong with them.</summary>
    private static (FormData? Form, string? Problem) MergeProvided(WorkflowDefinition definition, StepDefinition step, FormData form,
        System.Text.Json.JsonElement? provided)
    {
        if (step.Provides.Count == 0)
        {
            return provided is null ? (form, null) : (null, $"Step '{step.Id}' provides no form fields; send no 'form' with the approval.");
        }

        if (provided is not { ValueKind: System.Text.Json.JsonValueKind.Object } values)
        {
            return (null, $"Approving step '{step.Id}' fills in {string.Join(", ", step.Provides)}: send them as 'form'.");
        }

        var given = FormData.FromJson(values);
        var missing = step.Provides.Where(key => !given.TryGet(key, out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null).ToList();
        var extra = given.Keys.Where(key => !step.Provides.Contains(key)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            return (null, missing.Count > 0
                ? $"Approving step '{step.Id}' needs {string.Join(", ", missing)} in 'form'."
                : $"Step '{step.Id}' may only fill in {string.Join(", ", step.Provides)}, not {string.Join(", ", extra)}.");
        }

        var (merged, errors) = FormValidator.Validate(definition, form.With(given).ToJson());
        return errors.Count > 0 || merged is null
            ? (null, string.Join(" ", errors.Select(error => $"{error.Field}: {error.MessageEn}.")))
            : (merged, null);
    }

    private static TaskCommandResult? Refusal(DepartmentTask task, DecideTaskCommand command)
    {
        if (command.Source == DecisionSource.DepartmentSystem)
        {
            return TaskStates.IsEnded(task.State) ? TaskCommandResult.Done : null;
        }

        if (task.Kind == "automated")
        {
            return TaskCommandResult.Conflict("This task is handled by the department's own system, not by a reviewer.");
        }

        return task.State switch
        {
            TaskStates.Approved or TaskStates.Rejected => TaskCommandResult.Conflict($"This task has already been decided ({task.State})."),
            TaskStates.Cancelled => TaskCommandResult.Conflict("This task was cancelled because its case ended."),
            TaskStates.Dispatched => TaskCommandResult.Conflict("This task has not reached the department's inbox yet."),
            TaskStates.Claimed when task.Assignee != command.Actor.Name =>
                TaskCommandResult.Conflict($"This task is claimed by {task.Assignee}; only they (or a supervisor reassigning it) can go on."),
            TaskStates.AwaitingSupplement => TaskCommandResult.Conflict("This task is waiting for the supplement (补正) its reviewer asked for."),
            _ => null,
        };
    }
}
