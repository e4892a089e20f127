using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>
/// The pure core: (definition, state, form, event, now) → (new state, effects). No I/O, no clock, no randomness,
/// so the processor can apply an event inside a transaction and retry it safely.
/// </summary>
public static class CaseEngine
{
    public static Applied Start(WorkflowDefinition definition, Guid caseId, FormData form, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(form);
        var steps = definition.Steps
            .Select(step => new StepState(step.Id, StepStatus.Waiting, null, null, null))
            .ToImmutableList();
        var state = new CaseState(caseId, CaseStatus.Running, steps, now, null);
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
            null => throw new ArgumentNullException(nameof(@event)),
            _ => throw new NotSupportedException($"The engine does not handle {@event.GetType().Name} events."),
        };
    }

    private static EngineResult Decide(WorkflowDefinition definition, CaseState state, FormData form, StepDecided decided, DateTimeOffset now)
    {
        var step = state.FindStep(decided.StepId);
        var decidedStatus = decided.Decision == Decision.Approve ? StepStatus.Approved : StepStatus.Rejected;
        var repeatsDecision = step is not null && step.TaskId == decided.TaskId && step.Status == decidedStatus;

        if (state.Status != CaseStatus.Running)
        {
            return repeatsDecision
                ? new AlreadyApplied(state)
                : new Refused(RefusalReason.CaseEnded, $"Case {state.CaseId} has already ended ({state.Status}).");
        }

        if (step is null)
        {
            return new Refused(RefusalReason.UnknownStep, $"The workflow '{definition.Id}' has no step '{decided.StepId}'.");
        }

        if (step.TaskId is null)
        {
            return new Refused(RefusalReason.StepNotActive, $"Step '{step.StepId}' is {step.Status}, not active.");
        }

        if (step.TaskId != decided.TaskId)
        {
            return new Refused(RefusalReason.UnknownTask, $"Task {decided.TaskId} is not the task of step '{step.StepId}'.");
        }

        switch (step.Status)
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

        var effects = ImmutableArray.CreateBuilder<Effect>();
        var index = state.Steps.IndexOf(step);
        if (decided.Decision == Decision.Approve)
        {
            state = state with { Steps = state.Steps.SetItem(index, step with { Status = StepStatus.Approved, EndedAt = now }) };
            state = Advance(definition, state, form, now, effects);
        }
        else
        {
            state = RejectCase(definition, state, index, now, effects);
        }

        return new Applied(state, effects.ToImmutable());
    }

    private static CaseState RejectCase(WorkflowDefinition definition, CaseState state, int rejectedIndex, DateTimeOffset now, ImmutableArray<Effect>.Builder effects)
    {
        var rejectedStepId = state.Steps[rejectedIndex].StepId;
        var steps = state.Steps.ToBuilder();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (i == rejectedIndex)
            {
                steps[i] = step with { Status = StepStatus.Rejected, EndedAt = now };
            }
            else if (step.Status == StepStatus.Active)
            {
                steps[i] = step with { Status = StepStatus.Cancelled, EndedAt = now };
                effects.Add(new CancelTask(step.TaskId!.Value, step.StepId, definition.Steps[i].Department, $"case rejected at step {rejectedStepId}"));
            }
            else if (step.Status == StepStatus.Waiting)
            {
                steps[i] = step with { Status = StepStatus.Cancelled, EndedAt = now };
            }
        }

        effects.Add(new CompleteCase(CaseStatus.Rejected));
        return state with { Status = CaseStatus.Rejected, Steps = steps.ToImmutable(), EndedAt = now };
    }

    /// <summary>
    /// Activates or skips every waiting step whose needs are met, round by round until nothing changes,
    /// because a skipped step can satisfy the needs of the steps after it. Completes the case when all steps ended.
    /// </summary>
    private static CaseState Advance(WorkflowDefinition definition, CaseState state, FormData form, DateTimeOffset now, ImmutableArray<Effect>.Builder effects)
    {
        var steps = state.Steps.ToBuilder();
        while (true)
        {
            var ready = Enumerable.Range(0, steps.Count)
                .Where(i => steps[i].Status == StepStatus.Waiting && NeedsAreMet(definition.Steps[i], steps))
                .ToList();
            if (ready.Count == 0)
            {
                break;
            }

            foreach (var i in ready)
            {
                var stepDefinition = definition.Steps[i];
                if (stepDefinition.When is null || stepDefinition.When.Evaluate(form))
                {
                    var taskId = TaskIds.For(state.CaseId, stepDefinition.Id);
                    steps[i] = steps[i] with { Status = StepStatus.Active, TaskId = taskId, ActivatedAt = now };
                    effects.Add(new DispatchTask(taskId, stepDefinition.Id, stepDefinition.Department, stepDefinition.Kind, stepDefinition.Sla));
                }
                else
                {
                    steps[i] = steps[i] with { Status = StepStatus.Skipped, EndedAt = now };
                    effects.Add(new SkipStep(stepDefinition.Id, $"condition '{stepDefinition.WhenText ?? stepDefinition.When.ToString()}' is false"));
                }
            }
        }

        state = state with { Steps = steps.ToImmutable() };
        if (state.Steps.All(step => step.HasEnded))
        {
            state = state with { Status = CaseStatus.Completed, EndedAt = now };
            effects.Add(new CompleteCase(CaseStatus.Completed));
        }

        return state;
    }

    private static bool NeedsAreMet(StepDefinition step, ImmutableList<StepState>.Builder steps) =>
        step.Needs.All(need => steps.Find(candidate => candidate.StepId == need)?.Status is StepStatus.Approved or StepStatus.Skipped);

    private static void EnsureStateMatches(WorkflowDefinition definition, CaseState state)
    {
        if (state.Steps.Count != definition.Steps.Count
            || !state.Steps.Select(step => step.StepId).SequenceEqual(definition.Steps.Select(step => step.Id)))
        {
            throw new ArgumentException(
                $"Case {state.CaseId} does not belong to workflow '{definition.Id}': its steps differ from the definition's.", nameof(state));
        }
    }
}
