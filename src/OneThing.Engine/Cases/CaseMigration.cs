using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>A task whose step has another id in the target version; its row keeps its id and moves to the new step.</summary>
public sealed record MovedTask(Guid TaskId, string FromStep, string ToStep);

public abstract record MigrationResult;

/// <param name="Applied">The case state on the target version, with what moving it starts (steps whose needs are now met).</param>
public sealed record Movable(Applied Applied, IReadOnlyList<MovedTask> MovedTasks) : MigrationResult;

public sealed record NotMovable(IReadOnlyList<string> Reasons) : MigrationResult;

/// <summary>
/// Moves a running case from one version of its workflow to another, pure like the engine: each step of the old
/// version goes to the target step the mapping names, or to the target step of the same id; steps new in the target
/// start waiting and run as soon as their needs are met. A case that cannot move says every reason why.
/// </summary>
public static class CaseMigration
{
    /// <param name="stepMapping">Old step id → target step id; steps left out keep their id when the target has it.</param>
    public static MigrationResult Plan(WorkflowDefinition from, WorkflowDefinition to, CaseState state, FormData form,
        IReadOnlyDictionary<string, string> stepMapping, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(stepMapping);
        if (state.Status != CaseStatus.Running)
        {
            return new NotMovable([$"The case has already ended ({state.Status})."]);
        }

        var reasons = new List<string>();
        var carried = new Dictionary<string, StepState>();
        var moved = new List<MovedTask>();
        foreach (var step in state.Steps)
        {
            var target = Target(step.StepId, to, stepMapping);
            if (target is null)
            {
                if (step.Status == StepStatus.Active)
                {
                    reasons.Add($"Step '{step.StepId}' has an open task and the mapping names no step of the target version for it.");
                }

                continue;
            }

            if (carried.ContainsKey(target.Id))
            {
                reasons.Add($"Steps of the old version meet in the target step '{target.Id}'; each target step takes at most one.");
                continue;
            }

            if (Refusal(from.FindStep(step.StepId)!, target, step) is { } refusal)
            {
                reasons.Add(refusal);
            }

            carried[target.Id] = step with { StepId = target.Id };
            if (step.TaskId is { } taskId && target.Id != step.StepId && step.Status == StepStatus.Active)
            {
                moved.Add(new MovedTask(taskId, step.StepId, target.Id));
            }
        }

        var provided = to.Steps.SelectMany(step => step.Provides).ToHashSet(StringComparer.Ordinal);
        reasons.AddRange(to.Form
            .Where(field => field.Required && !provided.Contains(field.Key) && !form.TryGet(field.Key, out _))
            .Select(field => $"The target version requires the form field '{field.Key}', which the case does not have."));
        if (reasons.Count > 0)
        {
            return new NotMovable(reasons);
        }

        var steps = to.Steps
            .Select(step => carried.GetValueOrDefault(step.Id) ?? new StepState(step.Id, StepStatus.Waiting, null, null, null))
            .ToImmutableList();
        var effects = ImmutableArray.CreateBuilder<Effect>();
        var migrated = CaseEngine.Advance(to, state with { Steps = steps }, form, now, effects);
        return new Movable(new Applied(migrated, effects.ToImmutable()), moved);
    }

    private static StepDefinition? Target(string stepId, WorkflowDefinition to, IReadOnlyDictionary<string, string> stepMapping) =>
        stepMapping.TryGetValue(stepId, out var mapped) ? to.FindStep(mapped) : to.FindStep(stepId);

    private static string? Refusal(StepDefinition old, StepDefinition target, StepState step)
    {
        if (step.Status == StepStatus.Waiting)
        {
            return null;
        }

        if (step.Status == StepStatus.Active && (old.Department != target.Department || old.Kind != target.Kind))
        {
            return $"Step '{step.StepId}' has an open {Describe(old)} task; the target step '{target.Id}' is {Describe(target)}.";
        }

        if (step.Status == StepStatus.Active && old.Kind == StepKind.Wait && old.Id != target.Id)
        {
            return $"Step '{step.StepId}' is waiting out its duration; a running wait keeps its step id.";
        }

        return step.Outcome is { } outcome && step.HasEnded && !target.PossibleOutcomes().Contains(outcome, StringComparer.Ordinal)
            ? $"Step '{step.StepId}' ended '{outcome}', an outcome the target step '{target.Id}' does not have."
            : null;
    }

    private static string Describe(StepDefinition step) =>
        step.Department is { } department ? $"{step.Kind.ToString().ToLowerInvariant()} step of {department}" : $"{step.Kind.ToString().ToLowerInvariant()} step";
}
