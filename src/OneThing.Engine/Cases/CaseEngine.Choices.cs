using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>The decisions with a rule of their own: triage (which departments act) and independent verification (核查).</summary>
public static partial class CaseEngine
{
    /// <summary>A triage approval must choose at least one allowed department; no other decision may choose any.</summary>
    private static Refused? ChoiceRefusal(StepDefinition step, StepDecided decided)
    {
        if (step.Kind != StepKind.Triage || decided.Decision == Decision.Reject)
        {
            return decided.Departments is { Count: > 0 }
                ? new Refused(RefusalReason.InvalidChoice,
                    $"Step '{step.Id}' does not choose departments; send no 'departments' (本环节不分派部门，请勿填写 departments).")
                : null;
        }

        var chosen = decided.Departments ?? [];
        if (chosen.Count == 0)
        {
            return new Refused(RefusalReason.InvalidChoice,
                $"Step '{step.Id}' needs 'departments': choose at least one of {string.Join(", ", step.ChooseFrom)} (请至少选择一个承办部门).");
        }

        var notAllowed = chosen.Where(department => !step.ChooseFrom.Contains(department, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (notAllowed.Count > 0)
        {
            return new Refused(RefusalReason.InvalidChoice,
                $"Step '{step.Id}' cannot choose {string.Join(", ", notAllowed)} in 'departments'; choose among {string.Join(", ", step.ChooseFrom)} (所选部门不在可分派范围内).");
        }

        return chosen.Distinct(StringComparer.Ordinal).Count() != chosen.Count
            ? new Refused(RefusalReason.InvalidChoice, $"Step '{step.Id}' lists a department more than once in 'departments' (承办部门重复).")
            : null;
    }

    /// <summary>The decider of a verifying step must not be the person (or department) who decided the step it verifies.</summary>
    private static Refused? IndependenceRefusal(StepDefinition step, CaseState state, StepDecided decided)
    {
        if (step.Verifies is not { } verification || state.FindStep(verification.Step) is not { DecidedBy: { } handler } verified)
        {
            return null;
        }

        return verification.Independence switch
        {
            Independence.Person when decided.Actor == handler => new Refused(RefusalReason.NotIndependent,
                $"Step '{step.Id}' verifies step '{verified.StepId}', which {handler} decided; another reviewer must verify it (核查须由未办理该环节的其他人员进行)."),
            Independence.Department when decided.ActorDepartment is not null && decided.ActorDepartment == verified.DecidedByDepartment => new Refused(
                RefusalReason.NotIndependent,
                $"Step '{step.Id}' verifies step '{verified.StepId}', which department {verified.DecidedByDepartment} handled; another department must verify it (核查须由其他部门进行)."),
            _ => null,
        };
    }

    /// <summary>Each chosen department gets a task of its own, named by the step, the department and the round.</summary>
    private static StepState Choose(StepDefinition step, StepState state, IReadOnlyList<string> departments, Guid caseId, ImmutableArray<Effect>.Builder effects)
    {
        var chosen = departments
            .Select(department => new ChosenDepartment(department, TaskIds.For(caseId, step.Id, state.Round, department), StepStatus.Active))
            .ToImmutableList();
        effects.Add(new DepartmentsChosen(step.Id, departments));
        foreach (var department in chosen)
        {
            effects.Add(new DispatchTask(department.TaskId, step.Id, department.Department, StepKind.Review, step.ChosenSla, state.Round, Chosen: true));
        }

        return state with { Chosen = state.Chosen.AddRange(chosen) };
    }

    private static EngineResult DecideChosen(WorkflowDefinition definition, CaseState state, FormData form, StepState step, ChosenDepartment chosen,
        StepDecided decided, DateTimeOffset now)
    {
        var status = decided.Decision.EndedStatus();
        if (chosen.HasEnded)
        {
            return chosen.Status == status ? new AlreadyApplied(state)
                : state.Status != CaseStatus.Running ? Ended(state)
                : new Refused(RefusalReason.AlreadyDecided, $"The task of {chosen.Department} at step '{step.StepId}' was already decided: {chosen.Status}.");
        }

        if (state.Status != CaseStatus.Running)
        {
            return Ended(state);
        }

        if (decided.Outcome is not null || decided.Departments is { Count: > 0 })
        {
            return new Refused(decided.Outcome is null ? RefusalReason.InvalidChoice : RefusalReason.InvalidOutcome,
                $"The task of {chosen.Department} at step '{step.StepId}' is approved or rejected as it is, without an outcome or departments.");
        }

        var outcome = status == StepStatus.Approved ? StepDefinition.Approved : StepDefinition.Rejected;
        var updated = step with { Chosen = step.Chosen.Replace(chosen, chosen with { Status = status, Outcome = outcome, EndedAt = now }) };
        var effects = ImmutableArray.CreateBuilder<Effect>();
        state = Advance(definition, state with { Steps = state.Steps.SetItem(state.Steps.IndexOf(step), updated) }, form, now, effects);
        return new Applied(state, effects.ToImmutable());
    }
}
