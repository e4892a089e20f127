using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;

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
    CaseCommands commands,
    EngineEffects effects,
    DeadlineScheduler deadlines,
    CaseHistory history,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<DecideTask> logger)
{
    public Task<CommandResult<TaskChange>> HandleAsync(DecideTaskCommand command, CancellationToken cancellationToken) =>
        command.Source == DecisionSource.Reviewer && TextProblem(command) is { } invalid
            ? Task.FromResult<CommandResult<TaskChange>>(invalid)
            : commands.OnTaskAsync(command.TaskId, (unit, task, token) => DecideAsync(unit, task, command, token), cancellationToken);

    /// <summary>A department system's words are made by <see cref="DepartmentAnswerText"/>; a reviewer's are checked here.</summary>
    private static Refusal? TextProblem(DecideTaskCommand command) => command.Decision == Decision.Reject
        ? FreeText.Check("reason", command.Comment, required: true,
            $"A rejection needs a reason (1 to {FreeText.MaxLength} characters) that the clerk can pass on to the applicant.")
        : FreeText.Check("comment", command.Comment, required: false, $"comment is at most {FreeText.MaxLength} characters.");

    private async Task<CommandResult<TaskChange>> DecideAsync(CaseUnit unit, DepartmentTask task, DecideTaskCommand command, CancellationToken cancellationToken)
    {
        var record = unit.Record;
        if (command.Source == DecisionSource.DepartmentSystem && TaskLifecycle.IsEnded(task.State))
        {
            return CommandResult<TaskChange>.Done(TaskChange.Of(task, record));
        }

        if (command.Source == DecisionSource.Reviewer && TaskLifecycle.CanDecide(task, command.Actor) is { } refusal)
        {
            return refusal;
        }

        var definition = unit.Definition;
        var now = clock.GetUtcNow();
        var form = unit.Form;
        if (command.Decision == Decision.Approve && command.Source == DecisionSource.Reviewer)
        {
            var (provided, problem) = MergeProvided(definition, definition.FindStep(task.StepId)!, form, command.Provided);
            if (problem is not null)
            {
                return new Refusal.Invalid("decision", problem);
            }

            form = provided!;
            unit.ChangeForm(form);
        }

        var result = CaseEngine.Apply(definition, unit.State, form,
            new StepDecided(task.StepId, task.Id, command.Decision, command.Comment, command.Actor.Name, command.Outcome, task.Department, command.Departments), now);

        switch (result)
        {
            case Refused refused:
                logger.LogWarning("Decision on task {TaskId} of case {CaseId} refused: {Reason}", task.Id, record.Id, refused.Reason);
                if (command.Source == DecisionSource.DepartmentSystem)
                {
                    return CommandResult<TaskChange>.Done(TaskChange.Of(task, record));
                }

                return refused.Reason switch
                {
                    RefusalReason.InvalidOutcome => new Refusal.Invalid("decision", refused.Message),
                    RefusalReason.InvalidChoice => new Refusal.Invalid("departments", refused.Message),
                    _ => new Refusal.Conflict(refused.Message),
                };
            case AlreadyApplied:
                return CommandResult<TaskChange>.Done(TaskChange.Of(task, record));
            case Applied applied:
                TaskLifecycle.End(task, command.Decision.EndedStatus(), now);
                task.Comment = command.Comment;
                var step = applied.State.FindStep(task.StepId);
                task.Outcome = task.Chosen ? step?.Chosen.Find(chosen => chosen.TaskId == task.Id)?.Outcome : step?.Outcome;
                task.Assignee ??= command.Actor.Name;
                await deadlines.CancelTaskTimersAsync(unit, task.Id, cancellationToken);
                history.Add(record.Id,
                    command.Decision == Decision.Approve ? CaseEventTypes.TaskApproved : CaseEventTypes.TaskRejected,
                    task.StepId, task.Id, command.Actor.Name, command.Outcome is null ? command.Comment : $"[{command.Outcome}] {command.Comment}".TrimEnd());
                audit.Add(command.Actor, command.Decision == Decision.Approve ? AuditActions.TaskApproved : AuditActions.TaskRejected,
                    AuditTargets.Task, task.Id.ToString(), $"case {record.CaseNumber}, step {task.StepId}{(command.Outcome is null ? "" : $", outcome {command.Outcome}")}");
                await effects.ApplyAsync(unit, applied, cancellationToken);
                logger.LogInformation("Task {TaskId} ({StepId}) of case {CaseId} {Decision}; case is {Status}",
                    task.Id, task.StepId, record.Id, task.State, record.Status);
                return CommandResult<TaskChange>.Done(TaskChange.Of(task, record));
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
}
