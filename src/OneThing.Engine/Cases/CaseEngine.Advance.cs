using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>How a case moves on: which steps start, which are skipped, when loops repeat and when the case completes.</summary>
public static partial class CaseEngine
{
    /// <summary>
    /// Activates or skips every waiting step whose needs are met, round by round until nothing changes,
    /// because a skipped step (or a notify step, which ends at once) can satisfy the needs of the steps after it.
    /// When nothing more can start, loops whose round has ended are settled or repeated, which may start steps again.
    /// Completes the case when all steps ended.
    /// </summary>
    internal static CaseState Advance(WorkflowDefinition definition, CaseState state, FormData form, DateTimeOffset now, ImmutableArray<Effect>.Builder effects)
    {
        var steps = state.Steps.ToBuilder();
        var loops = state.Loops.ToBuilder();
        while (true)
        {
            var ready = Enumerable.Range(0, steps.Count)
                .Where(i => steps[i].Status == StepStatus.Waiting && NeedsAreMet(definition, definition.Steps[i], steps, loops))
                .ToList();
            if (ready.Count == 0)
            {
                var settled = SettleLoops(definition, steps, loops, new ConditionScope(form, ConditionScope.OutcomesOf(steps), state.Reports) { PlaceCases = state.PlaceCases }, state.CaseId, now, effects);
                if (settled is LoopSettlement.Unchanged)
                {
                    break;
                }

                if (settled is LoopSettlement.EndsCase)
                {
                    var ending = state with { Steps = steps.ToImmutable(), Loops = loops.ToImmutable() };
                    return EndCase(definition, ending, null, CaseStatus.Rejected, CancelCause.CaseRejected,
                        "a loop reached its last round without its condition holding", now, effects);
                }

                continue;
            }

            // Conditions see the outcomes as they stood at the start of the round, so the order of steps in a round does not matter.
            var scope = new ConditionScope(form, ConditionScope.OutcomesOf(steps), state.Reports) { PlaceCases = state.PlaceCases };
            foreach (var i in ready)
            {
                var stepDefinition = definition.Steps[i];
                if (stepDefinition.When is null || stepDefinition.When.Evaluate(scope))
                {
                    Activate(stepDefinition, i, steps, state.CaseId, now, effects, Inbox(definition, stepDefinition, form));
                }
                else
                {
                    steps[i] = steps[i] with { Status = StepStatus.Skipped, EndedAt = now, Outcome = StepDefinition.Skipped };
                    effects.Add(new SkipStep(stepDefinition.Id, $"condition '{stepDefinition.WhenText ?? stepDefinition.When.ToString()}' is false"));
                }
            }
        }

        state = state with { Steps = steps.ToImmutable(), Loops = loops.ToImmutable() };
        if (state.Steps.All(step => step.HasEndedWithJoined))
        {
            state = state with { Status = CaseStatus.Completed, EndedAt = now };
            effects.Add(new CompleteCase(CaseStatus.Completed));
        }

        return state;
    }

    private enum LoopSettlement { Unchanged, Changed, EndsCase }

    /// <summary>
    /// For each running loop whose steps have all ended (with every chosen department), tests its condition on the
    /// round's outcomes: it holds, and the loop is satisfied; it does not, and the steps start again as the next
    /// round, or after the last round the loop's on_max happens.
    /// </summary>
    private static LoopSettlement SettleLoops(WorkflowDefinition definition, ImmutableList<StepState>.Builder steps, ImmutableList<LoopState>.Builder loops,
        ConditionScope scope, Guid caseId, DateTimeOffset now, ImmutableArray<Effect>.Builder effects)
    {
        var result = LoopSettlement.Unchanged;
        for (var l = 0; l < loops.Count; l++)
        {
            var loop = definition.Loops[l];
            var members = Enumerable.Range(0, steps.Count).Where(i => loop.Contains(steps[i].StepId)).ToList();
            if (loops[l].Status != LoopStatus.Running || !members.All(i => steps[i].HasEndedWithChosen))
            {
                continue;
            }

            var round = loops[l].Round;
            result = LoopSettlement.Changed;
            // A round in which no step ran (every one's condition false) would only skip again: there is nothing to repeat.
            if (loop.Until.Evaluate(scope) || members.All(i => steps[i].Status == StepStatus.Skipped))
            {
                loops[l] = loops[l] with { Status = LoopStatus.Satisfied };
                effects.Add(new LoopSatisfied(loop.Id, round, loop.UntilText));
            }
            else if (round < loop.MaxRounds)
            {
                loops[l] = loops[l] with { Round = round + 1 };
                foreach (var i in members)
                {
                    // A joined department's task belongs to the case, not to the round: it stays, and the case still waits for it.
                    steps[i] = new StepState(steps[i].StepId, StepStatus.Waiting, null, null, null)
                    {
                        Round = round + 1, Chosen = steps[i].Chosen.Where(chosen => chosen.WasJoined).ToImmutableList(),
                    };
                }

                effects.Add(new LoopRepeated(loop.Id, round + 1, loop.UntilText));
            }
            else
            {
                loops[l] = loops[l] with { Status = LoopStatus.Exhausted };
                var tasks = members.SelectMany(i => steps[i].Chosen.Select(chosen => chosen.TaskId).Prepend(steps[i].TaskId ?? Guid.Empty))
                    .Where(id => id != Guid.Empty).ToList();
                effects.Add(new LoopExhausted(loop.Id, round, loop.OnMax, tasks));
                switch (loop.OnMax.Action)
                {
                    case LoopLimitAction.EndCase:
                        return LoopSettlement.EndsCase;
                    case LoopLimitAction.StartStep:
                        var target = steps.FindIndex(step => step.StepId == loop.OnMax.Step);
                        if (steps[target].Status == StepStatus.Waiting)
                        {
                            Activate(definition.Steps[target], target, steps, caseId, now, effects, Inbox(definition, definition.Steps[target], scope.Form));
                        }

                        break;
                }
            }
        }

        return result;
    }

    /// <param name="unit">The territorial unit whose inbox gets the task of a step routed by place; null for the others.</param>
    private static void Activate(StepDefinition step, int index, ImmutableList<StepState>.Builder steps, Guid caseId, DateTimeOffset now,
        ImmutableArray<Effect>.Builder effects, TerritorialUnit? unit)
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
                var round = steps[index].Round;
                var taskId = TaskIds.For(caseId, step.Id, round);
                steps[index] = steps[index] with { Status = StepStatus.Active, TaskId = taskId, ActivatedAt = now, Unit = unit?.Code };
                effects.Add(new DispatchTask(taskId, step.Id, unit?.Code ?? step.Department!, step.Kind, step.Sla, round) { Place = step.Place });
                break;
        }
    }

    /// <summary>
    /// A need on a step of a loop the step is not in is met only once that loop is settled, or the step would start
    /// after a round the loop is about to repeat; all-chosen also waits for every department chosen at the need.
    /// </summary>
    private static bool NeedsAreMet(WorkflowDefinition definition, StepDefinition step, ImmutableList<StepState>.Builder steps, ImmutableList<LoopState>.Builder loops)
    {
        var ownLoop = definition.LoopOf(step.Id);
        bool Settled(StepState need) =>
            definition.LoopOf(need.StepId) is not { } loop || loop == ownLoop || loops.Find(state => state.LoopId == loop.Id)?.Status != LoopStatus.Running;
        bool Ended(StepState need) => Settled(need) && (step.Join == JoinMode.AllChosen ? need.HasEndedWithChosen : need.HasEnded);

        var needed = step.Needs.Select(need => steps.Find(candidate => candidate.StepId == need)!).ToList();
        return step.Join == JoinMode.Any
            ? needed.Any(need => need.Status == StepStatus.Approved && Settled(need)) || needed.All(Ended)
            : needed.All(Ended);
    }
}
