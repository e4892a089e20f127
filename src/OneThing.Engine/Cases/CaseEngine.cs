using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>
/// The pure core: (definition, state, form, event, now) → (new state, effects). No I/O, no clock, no randomness,
/// so the processor can apply an event inside a transaction and retry it safely.
/// </summary>
public static class CaseEngine
{
    /// <param name="reports">1 for an incident case opened by a report; 0 for a case filed at a window.</param>
    public static Applied Start(WorkflowDefinition definition, Guid caseId, FormData form, DateTimeOffset now, int reports = 0)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(form);
        var steps = definition.Steps
            .Select(step => new StepState(step.Id, StepStatus.Waiting, null, null, null))
            .ToImmutableList();
        var state = new CaseState(caseId, CaseStatus.Running, steps, now, null) { Reports = reports };
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
            IncidentReportAttached => state.Status == CaseStatus.Running
                ? new Applied(state with { Reports = state.Reports + 1 }, [])
                : Ended(state),
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

        var effects = ImmutableArray.CreateBuilder<Effect>();
        var index = state.Steps.IndexOf(step);
        if (decided.Decision == Decision.Approve)
        {
            var outcome = decided.Outcome ?? StepDefinition.Approved;
            state = state with { Steps = state.Steps.SetItem(index, step with { Status = StepStatus.Approved, EndedAt = now, Outcome = outcome }) };
            state = Advance(definition, state, form, now, effects);
        }
        else if (stepDefinition.OnReject == RejectionPolicy.Continue)
        {
            state = state with { Steps = state.Steps.SetItem(index, step with { Status = StepStatus.Rejected, EndedAt = now, Outcome = StepDefinition.Rejected }) };
            state = Advance(definition, state, form, now, effects);
        }
        else
        {
            state = EndCase(definition, state, index, CaseStatus.Rejected, CancelCause.CaseRejected, $"case rejected at step {step.StepId}", now, effects);
        }

        return new Applied(state, effects.ToImmutable());
    }

    private static EngineResult Breach(WorkflowDefinition definition, CaseState state, FormData form, StepBreached breached, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.Running)
        {
            return Ended(state);
        }

        if (FindTaskStep(definition, state, breached.StepId, breached.TaskId) is { } refusal)
        {
            return refusal;
        }

        var step = state.FindStep(breached.StepId)!;
        if (step.BreachedAt is not null)
        {
            return new AlreadyApplied(state);
        }

        if (step.Status != StepStatus.Active)
        {
            return new Refused(RefusalReason.StepNotActive, $"Step '{step.StepId}' is {step.Status}, not active.");
        }

        var stepDefinition = definition.FindStep(step.StepId)!;
        var index = state.Steps.IndexOf(step);
        var steps = state.Steps.ToBuilder();
        steps[index] = step with { BreachedAt = now };
        var effects = ImmutableArray.CreateBuilder<Effect>();
        if (stepDefinition.OnBreach is not { } actions)
        {
            return new Applied(state with { Steps = steps.ToImmutable() }, []);
        }

        if (actions.Notify is { } notify)
        {
            effects.Add(new SendNotification(step.StepId, notify.To, notify.Message));
        }

        if (actions.Cancel)
        {
            steps[index] = steps[index] with { Status = StepStatus.Cancelled, EndedAt = now, Outcome = StepDefinition.Breached };
            effects.Add(new CancelTask(step.TaskId!.Value, step.StepId, stepDefinition.Department!, CancelCause.DeadlineMissed, "deadline missed"));
            effects.Add(new StepEnded(step.StepId, StepDefinition.Breached));
        }

        foreach (var target in actions.Start)
        {
            var targetIndex = steps.FindIndex(candidate => candidate.StepId == target);
            if (steps[targetIndex].Status == StepStatus.Waiting)
            {
                effects.Add(new StepForced(target, step.StepId));
                Activate(definition.Steps[targetIndex], targetIndex, steps, state.CaseId, now, effects);
            }
        }

        state = Advance(definition, state with { Steps = steps.ToImmutable() }, form, now, effects);
        return new Applied(state, effects.ToImmutable());
    }

    private static EngineResult Elapse(WorkflowDefinition definition, CaseState state, FormData form, WaitElapsed elapsed, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.Running)
        {
            return Ended(state);
        }

        var step = state.FindStep(elapsed.StepId);
        if (step is null)
        {
            return new Refused(RefusalReason.UnknownStep, $"The workflow '{definition.Id}' has no step '{elapsed.StepId}'.");
        }

        if (definition.FindStep(step.StepId)!.Kind != StepKind.Wait)
        {
            return new Refused(RefusalReason.NotAWaitStep, $"Step '{step.StepId}' is not a wait step.");
        }

        if (step.Outcome == StepDefinition.Elapsed)
        {
            return new AlreadyApplied(state);
        }

        if (step.Status != StepStatus.Active)
        {
            return new Refused(RefusalReason.StepNotActive, $"Step '{step.StepId}' is {step.Status}, not active.");
        }

        var effects = ImmutableArray.CreateBuilder<Effect>();
        var index = state.Steps.IndexOf(step);
        state = state with
        {
            Steps = state.Steps.SetItem(index, step with { Status = StepStatus.Approved, EndedAt = now, Outcome = StepDefinition.Elapsed }),
        };
        effects.Add(new StepEnded(step.StepId, StepDefinition.Elapsed));
        state = Advance(definition, state, form, now, effects);
        return new Applied(state, effects.ToImmutable());
    }

    private static EngineResult RequestSupplement(WorkflowDefinition definition, CaseState state, SupplementRequested requested, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.Running)
        {
            return Ended(state);
        }

        if (FindTaskStep(definition, state, requested.StepId, requested.TaskId) is { } refusal)
        {
            return refusal;
        }

        var step = state.FindStep(requested.StepId)!;
        if (step.Status != StepStatus.Active)
        {
            return new Refused(RefusalReason.AlreadyDecided, $"Step '{step.StepId}' was already decided: {step.Status}.");
        }

        if (definition.FindStep(step.StepId)!.Kind != StepKind.Review)
        {
            return new Refused(RefusalReason.StepNotActive, $"Step '{step.StepId}' is not reviewed by a person; only a reviewer can ask for a supplement.");
        }

        if (step.AwaitsSupplement)
        {
            return new Refused(RefusalReason.SupplementOutstanding, $"Step '{step.StepId}' is already waiting for a supplement.");
        }

        var index = state.Steps.IndexOf(step);
        state = state with { Steps = state.Steps.SetItem(index, step with { SupplementRequestedAt = now }) };
        return new Applied(state, [new PauseTask(step.TaskId!.Value, step.StepId, requested.Message)]);
    }

    private static EngineResult SubmitSupplement(CaseState state)
    {
        if (state.Status != CaseStatus.Running)
        {
            return Ended(state);
        }

        var waiting = state.Steps.Where(step => step.AwaitsSupplement).ToList();
        if (waiting.Count == 0)
        {
            return new Refused(RefusalReason.NoSupplementRequested, "No step of this case is waiting for a supplement.");
        }

        var steps = state.Steps.ToBuilder();
        var effects = ImmutableArray.CreateBuilder<Effect>();
        foreach (var step in waiting)
        {
            steps[steps.IndexOf(step)] = step with { SupplementRequestedAt = null };
            effects.Add(new ResumeTask(step.TaskId!.Value, step.StepId));
        }

        return new Applied(state with { Steps = steps.ToImmutable() }, effects.ToImmutable());
    }

    private static EngineResult Withdraw(WorkflowDefinition definition, CaseState state, CaseWithdrawn withdrawn, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.Running)
        {
            return Ended(state);
        }

        var effects = ImmutableArray.CreateBuilder<Effect>();
        state = EndCase(definition, state, null, CaseStatus.Withdrawn, CancelCause.CaseWithdrawn, $"case withdrawn: {withdrawn.Reason}", now, effects);
        return new Applied(state, effects.ToImmutable());
    }

    /// <summary>Ends the case early: open steps are cancelled and their departments told; <paramref name="rejectedIndex"/> is the step that rejected it.</summary>
    private static CaseState EndCase(WorkflowDefinition definition, CaseState state, int? rejectedIndex, CaseStatus outcome, CancelCause cause, string reason,
        DateTimeOffset now, ImmutableArray<Effect>.Builder effects)
    {
        var steps = state.Steps.ToBuilder();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (i == rejectedIndex)
            {
                steps[i] = step with { Status = StepStatus.Rejected, EndedAt = now, Outcome = StepDefinition.Rejected, SupplementRequestedAt = null };
            }
            else if (step.Status == StepStatus.Active)
            {
                steps[i] = step with { Status = StepStatus.Cancelled, EndedAt = now, SupplementRequestedAt = null };
                var stepDefinition = definition.Steps[i];
                if (stepDefinition.Kind == StepKind.Wait)
                {
                    effects.Add(new CancelWait(step.StepId));
                }
                else
                {
                    effects.Add(new CancelTask(step.TaskId!.Value, step.StepId, stepDefinition.Department!, cause, reason));
                }
            }
            else if (step.Status == StepStatus.Waiting)
            {
                steps[i] = step with { Status = StepStatus.Cancelled, EndedAt = now };
            }
        }

        effects.Add(new CompleteCase(outcome));
        return state with { Status = outcome, Steps = steps.ToImmutable(), EndedAt = now };
    }

    /// <summary>
    /// Activates or skips every waiting step whose needs are met, round by round until nothing changes,
    /// because a skipped step (or a notify step, which ends at once) can satisfy the needs of the steps after it.
    /// Completes the case when all steps ended.
    /// </summary>
    internal static CaseState Advance(WorkflowDefinition definition, CaseState state, FormData form, DateTimeOffset now, ImmutableArray<Effect>.Builder effects)
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

            // Conditions see the outcomes as they stood at the start of the round, so the order of steps in a round does not matter.
            var scope = new ConditionScope(form, ConditionScope.OutcomesOf(steps), state.Reports);
            foreach (var i in ready)
            {
                var stepDefinition = definition.Steps[i];
                if (stepDefinition.When is null || stepDefinition.When.Evaluate(scope))
                {
                    Activate(stepDefinition, i, steps, state.CaseId, now, effects);
                }
                else
                {
                    steps[i] = steps[i] with { Status = StepStatus.Skipped, EndedAt = now, Outcome = StepDefinition.Skipped };
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

    private static void Activate(StepDefinition step, int index, ImmutableList<StepState>.Builder steps, Guid caseId, DateTimeOffset now,
        ImmutableArray<Effect>.Builder effects)
    {
        switch (step.Kind)
        {
            case StepKind.Wait:
                steps[index] = steps[index] with { Status = StepStatus.Active, ActivatedAt = now };
                effects.Add(new StartWait(step.Id, step.Duration!));
                break;
            case StepKind.Notify:
                steps[index] = steps[index] with { Status = StepStatus.Approved, ActivatedAt = now, EndedAt = now, Outcome = StepDefinition.Sent };
                effects.Add(new SendNotification(step.Id, step.Notify!.To, step.Notify.Message));
                effects.Add(new StepEnded(step.Id, StepDefinition.Sent));
                break;
            default:
                var taskId = TaskIds.For(caseId, step.Id);
                steps[index] = steps[index] with { Status = StepStatus.Active, TaskId = taskId, ActivatedAt = now };
                effects.Add(new DispatchTask(taskId, step.Id, step.Department!, step.Kind, step.Sla));
                break;
        }
    }

    private static bool NeedsAreMet(StepDefinition step, ImmutableList<StepState>.Builder steps)
    {
        var needed = step.Needs.Select(need => steps.Find(candidate => candidate.StepId == need)!).ToList();
        return step.Join == JoinMode.Any
            ? needed.Any(need => need.Status == StepStatus.Approved) || needed.All(need => need.HasEnded)
            : needed.All(need => need.HasEnded);
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
            || !state.Steps.Select(step => step.StepId).SequenceEqual(definition.Steps.Select(step => step.Id)))
        {
            throw new ArgumentException(
                $"Case {state.CaseId} does not belong to workflow '{definition.Id}': its steps differ from the definition's.", nameof(state));
        }
    }
}
