using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>
/// The pure core: (definition, state, form, event, now) → (new state, effects). No I/O, no clock, no randomness,
/// so the processor can apply an event inside a transaction and retry it safely.
/// </summary>
public static partial class CaseEngine
{
    /// <param name="reports">1 for an incident case opened by a report; 0 for a case filed at a window.</param>
    /// <param name="placeCases">For an incident: the cases its place had in the last 90 days, this one included.</param>
    public static Applied Start(WorkflowDefinition definition, Guid caseId, FormData form, DateTimeOffset now, int reports = 0, int placeCases = 0)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(form);
        var steps = definition.Steps
            .Select(step => new StepState(step.Id, StepStatus.Waiting, null, null, null))
            .ToImmutableList();
        var loops = definition.Loops.Select(loop => new LoopState(loop.Id, 1, LoopStatus.Running)).ToImmutableList();
        var state = new CaseState(caseId, CaseStatus.Running, steps, now, null) { Reports = reports, Loops = loops, PlaceCases = placeCases };
        var effects = ImmutableArray.CreateBuilder<Effect>();
        state = Advance(definition, state, form, now, effects);
        return new Applied(state, effects.ToImmutable());
    }

    public static EngineResult Apply(WorkflowDefinition definition, CaseState state, FormData form, CaseEvent @event, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(form);
        EnsureStateMatches(definition, state);
        return @event switch
        {
            StepDecided decided => Decide(definition, state, form, decided, now),
            StepBreached breached => Breach(definition, state, form, breached, now),
            WaitElapsed elapsed => Elapse(definition, state, form, elapsed, now),
            SupplementRequested requested => RequestSupplement(definition, state, requested, now),
            SupplementSubmitted => SubmitSupplement(state),
            CaseWithdrawn withdrawn => Withdraw(definition, state, withdrawn, now),
            IncidentReportAttached => AttachReport(definition, state, form, now),
            DepartmentJoined joined => Join(definition, state, joined, now),
            null => throw new ArgumentNullException(nameof(@event)),
            _ => throw new NotSupportedException($"The engine does not handle {@event.GetType().Name} events."),
        };
    }

    private static EngineResult Decide(WorkflowDefinition definition, CaseState state, FormData form, StepDecided decided, DateTimeOffset now)
    {
        var step = state.FindStep(decided.StepId);
        if (step?.Chosen.Find(chosen => chosen.TaskId == decided.TaskId) is { } chosenTask)
        {
            return DecideChosen(definition, state, form, step, chosenTask, decided, now);
        }

        var decidedStatus = decided.Decision.EndedStatus();
        var repeatsDecision = step is not null && step.TaskId == decided.TaskId && step.Status == decidedStatus;

        if (state.Status != CaseStatus.Running)
        {
            return repeatsDecision ? new AlreadyApplied(state) : Ended(state);
        }

        if (FindTaskStep(definition, state, decided.StepId, decided.TaskId) is { } refusal)
        {
            return refusal;
        }

        switch (step!.Status)
        {
            case StepStatus.Approved or StepStatus.Rejected when repeatsDecision:
                return new AlreadyApplied(state);
            case StepStatus.Approved or StepStatus.Rejected:
                return new Refused(RefusalReason.AlreadyDecided, $"Step '{step.StepId}' was already decided: {step.Status}.");
            case StepStatus.Active:
                break;
            default:
                return new Refused(RefusalReason.StepNotActive, $"Step '{step.StepId}' is {step.Status}, not active.");
        }

        if (step.AwaitsSupplement)
        {
            return new Refused(RefusalReason.SupplementOutstanding,
                $"Step '{step.StepId}' is waiting for the supplement (补正) it asked for; decide once the clerk has submitted it.");
        }

        var stepDefinition = definition.FindStep(step.StepId)!;
        if (decided.Decision == Decision.Approve && !stepDefinition.AcceptsOutcome(decided.Outcome))
        {
            return new Refused(RefusalReason.InvalidOutcome, stepDefinition.Outcomes.Count == 0
                ? $"Step '{step.StepId}' has no outcomes to choose from; approve it without an outcome."
                : $"Step '{step.StepId}' needs an outcome: one of {string.Join(", ", stepDefinition.Outcomes)}.");
        }

        if ((ChoiceRefusal(stepDefinition, decided) ?? IndependenceRefusal(stepDefinition, state, decided)) is { } invalid)
        {
            return invalid;
        }

        var effects = ImmutableArray.CreateBuilder<Effect>();
        var index = state.Steps.IndexOf(step);
        step = step with { DecidedBy = decided.Actor, DecidedByDepartment = decided.ActorDepartment };
        if (decided.Decision == Decision.Approve)
        {
            var outcome = decided.Outcome ?? StepDefinition.Approved;
            step = step with { Status = StepStatus.Approved, EndedAt = now, Outcome = outcome };
            if (stepDefinition.Kind == StepKind.Triage)
            {
                step = Choose(stepDefinition, step, decided.Departments!, state.CaseId, effects);
            }

            state = state with { Steps = state.Steps.SetItem(index, step) };
            state = Advance(definition, state, form, now, effects);
        }
        else if (stepDefinition.OnReject == RejectionPolicy.Continue)
        {
            state = state with { Steps = state.Steps.SetItem(index, step with { Status = StepStatus.Rejected, EndedAt = now, Outcome = StepDefinition.Rejected }) };
            state = Advance(definition, state, form, now, effects);
        }
        else
        {
            state = EndCase(definition, state with { Steps = state.Steps.SetItem(index, step) }, index, CaseStatus.Rejected, CancelCause.CaseRejected,
                $"case rejected at step {step.StepId}", now, effects);
        }

        return new Applied(state, effects.ToImmutable());
    }

    private static Refused? FindTaskStep(WorkflowDefinition definition, CaseState state, string stepId, Guid taskId)
    {
        var step = state.FindStep(stepId);
        if (step is null)
        {
            return new Refused(RefusalReason.UnknownStep, $"The workflow '{definition.Id}' has no step '{stepId}'.");
        }

        if (step.TaskId is null)
        {
            return new Refused(RefusalReason.StepNotActive, $"Step '{step.StepId}' is {step.Status}, not active.");
        }

        return step.TaskId != taskId
            ? new Refused(RefusalReason.UnknownTask, $"Task {taskId} is not the task of step '{step.StepId}'.")
            : null;
    }

    private static Refused Ended(CaseState state) =>
        new(RefusalReason.CaseEnded, $"Case {state.CaseId} has already ended ({state.Status}).");

    private static void EnsureStateMatches(WorkflowDefinition definition, CaseState state)
    {
        if (state.Steps.Count != definition.Steps.Count
            || !state.Steps.Select(step => step.StepId).SequenceEqual(definition.Steps.Select(step => step.Id))
            || !state.Loops.Select(loop => loop.LoopId).SequenceEqual(definition.Loops.Select(loop => loop.Id)))
        {
            throw new ArgumentException(
                $"Case {state.CaseId} does not belong to workflow '{definition.Id}': its steps differ from the definition's.", nameof(state));
        }
    }
}
