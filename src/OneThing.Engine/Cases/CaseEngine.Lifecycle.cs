using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>What happens to a case besides decisions: missed deadlines, waits, supplements, withdrawal and the early end.</summary>
public static partial class CaseEngine
{
    private static EngineResult Breach(WorkflowDefinition definition, CaseState state, FormData form, StepBreached breached, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.Running)
        {
            return Ended(state);
        }

        // A chosen department's missed deadline is recorded and escalated by the sweeper; the case itself does not change.
        if (state.FindStep(breached.StepId)?.Chosen.Any(chosen => chosen.TaskId == breached.TaskId) == true)
        {
            return new AlreadyApplied(state);
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
            effects.Add(new CancelTask(step.TaskId!.Value, step.StepId, step.Unit ?? stepDefinition.Department!, CancelCause.DeadlineMissed, "deadline missed"));
            effects.Add(new StepEnded(step.StepId, StepDefinition.Breached));
        }

        foreach (var target in actions.Start)
        {
            var targetIndex = steps.FindIndex(candidate => candidate.StepId == target);
            if (steps[targetIndex].Status == StepStatus.Waiting)
            {
                effects.Add(new StepForced(target, step.StepId));
                Activate(definition.Steps[targetIndex], targetIndex, steps, state.CaseId, now, effects, Inbox(definition, definition.Steps[targetIndex], form));
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

        if (!definition.FindStep(step.StepId)!.Kind.IsDecidedByPerson())
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
                    effects.Add(new CancelTask(step.TaskId!.Value, step.StepId, step.Unit ?? stepDefinition.Department!, cause, reason));
                }
            }
            else if (step.Status == StepStatus.Waiting)
            {
                steps[i] = step with { Status = StepStatus.Cancelled, EndedAt = now };
            }

            steps[i] = steps[i] with { Chosen = CancelChosen(steps[i], cause, reason, now, effects) };
        }

        effects.Add(new CompleteCase(outcome));
        return state with { Status = outcome, Steps = steps.ToImmutable(), EndedAt = now };
    }

    private static ImmutableList<ChosenDepartment> CancelChosen(StepState step, CancelCause cause, string reason, DateTimeOffset now,
        ImmutableArray<Effect>.Builder effects)
    {
        foreach (var open in step.Chosen.Where(chosen => !chosen.HasEnded))
        {
            effects.Add(new CancelTask(open.TaskId, step.StepId, open.Department, cause, reason));
        }

        return step.Chosen.Select(chosen => chosen.HasEnded ? chosen : chosen with { Status = StepStatus.Cancelled, EndedAt = now }).ToImmutableList();
    }
}
