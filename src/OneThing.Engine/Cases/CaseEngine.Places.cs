using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>Routing by place and incident reports that change what a case needs.</summary>
public static partial class CaseEngine
{
    /// <summary>The unit whose inbox gets a place-routed step's task. Filing and supplements refuse a place no unit covers, so one is found.</summary>
    private static TerritorialUnit? Inbox(WorkflowDefinition definition, StepDefinition step, FormData form)
    {
        if (step.Place is not { } route)
        {
            return null;
        }

        var code = form.TryGet(route.Field, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
        return definition.Territory.Locate(code, route.Role)
            ?? throw new InvalidOperationException($"Step '{step.Id}' routes to the {route} but no {Territory.RoleName(route.Role)} covers '{code}'; the form was not checked.");
    }

    /// <summary>
    /// Another report of the same incident: the count goes up, and a step that was skipped because its condition on
    /// <c>case.reports</c> was false then is started when that condition now holds, as long as no step after it has
    /// started (the case is still waiting on it).
    /// </summary>
    private static EngineResult AttachReport(WorkflowDefinition definition, CaseState state, FormData form, DateTimeOffset now)
    {
        if (state.Status != CaseStatus.Running)
        {
            return Ended(state);
        }

        state = state with { Reports = state.Reports + 1 };
        var steps = state.Steps.ToBuilder();
        var effects = ImmutableArray.CreateBuilder<Effect>();
        var scope = state.ScopeFor(form);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = definition.Steps[i];
            if (steps[i].Status == StepStatus.Skipped && step.When is { } when
                && ConditionNames.Of(when).Contains(ConditionScope.ReportsName)
                && NothingAfterHasStarted(definition, steps, step.Id)
                && when.Evaluate(scope))
            {
                steps[i] = steps[i] with { Status = StepStatus.Waiting, EndedAt = null, Outcome = null };
                effects.Add(new StepReevaluated(step.Id, $"condition '{step.WhenText ?? when.ToString()}' holds with report {state.Reports}"));
                Activate(step, i, steps, state.CaseId, now, effects, Inbox(definition, step, form));
            }
        }

        return new Applied(state with { Steps = steps.ToImmutable() }, effects.ToImmutable());
    }

    private static bool NothingAfterHasStarted(WorkflowDefinition definition, ImmutableList<StepState>.Builder steps, string stepId) =>
        Enumerable.Range(0, steps.Count)
            .Where(i => definition.Steps[i].Needs.Contains(stepId, StringComparer.Ordinal))
            .All(i => steps[i].Status == StepStatus.Waiting);
}
