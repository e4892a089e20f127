namespace OneThing.Engine;

/// <summary>The rules across steps: needs name real steps without going round in a cycle, and breach targets can still start.</summary>
internal static class GraphRules
{
    /// <returns>Whether the needs are free of cycles, which the condition rules need to know what runs before what.</returns>
    public static bool Check(YamlReader reader, IReadOnlyList<StepDefinition> steps)
    {
        var ids = steps.Select(step => step.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            foreach (var need in step.Needs.Where(need => !ids.Contains(need)))
            {
                reader.Error(step.Id, $"needs unknown step '{need}'");
            }
        }

        var cycles = NeedsGraph.FindCycles(steps);
        foreach (var cycle in cycles)
        {
            reader.Error(cycle[0], $"needs form a cycle: {string.Join(" → ", cycle.Append(cycle[0]))} (each step needs the next)");
        }

        CheckBreachTargets(reader, steps, ids, cycles.Count == 0);
        CheckVerifiedSteps(reader, steps, ids, cycles.Count == 0);
        CheckChosenJoins(reader, steps);
        return cycles.Count == 0;
    }

    private static void CheckBreachTargets(YamlReader reader, IReadOnlyList<StepDefinition> steps, HashSet<string> ids, bool acyclic)
    {
        foreach (var step in steps.Where(step => step.OnBreach is not null))
        {
            foreach (var target in step.OnBreach!.Start)
            {
                if (target == step.Id)
                {
                    reader.Error(step.Id, "on_breach.start names the step itself; a step cannot restart itself");
                }
                else if (!ids.Contains(target))
                {
                    reader.Error(step.Id, $"on_breach.start names unknown step '{target}'");
                }
                else if (steps.First(candidate => candidate.Id == target).Needs.Count == 0)
                {
                    reader.Error(step.Id, $"on_breach.start names step '{target}', which needs nothing and so has already started when this step breaches");
                }
            }

            var upstream = acyclic ? NeedsGraph.Upstream(step, steps) : [];
            foreach (var target in step.OnBreach.Start.Where(upstream.Contains))
            {
                reader.Error(step.Id, $"on_breach.start names step '{target}', which this step needs, so it has ended before this step starts");
            }
        }
    }

    private static void CheckVerifiedSteps(YamlReader reader, IReadOnlyList<StepDefinition> steps, HashSet<string> ids, bool acyclic)
    {
        foreach (var step in steps.Where(step => step.Verifies is not null))
        {
            var verified = step.Verifies!.Step;
            if (verified == step.Id)
            {
                reader.Error(step.Id, "verifies names the step itself; a step cannot verify its own decision");
                continue;
            }

            if (!ids.Contains(verified))
            {
                reader.Error(step.Id, $"verifies unknown step '{verified}'");
                continue;
            }

            var target = steps.First(candidate => candidate.Id == verified);
            if (acyclic && !NeedsGraph.Upstream(step, steps).Contains(verified))
            {
                reader.Error(step.Id, $"verifies step '{verified}', which does not come before it; add '{verified}' to needs (directly or through other steps)");
            }
            else if (!target.Kind.IsDecidedByPerson() && target.Kind is not StepKind.Automated)
            {
                reader.Error(step.Id, $"verifies step '{verified}', a {target.Kind.ToString().ToLowerInvariant()} step that nobody decides");
            }
            else if (step.Verifies.Independence == Independence.Department && target.Department == step.Department)
            {
                reader.Error(step.Id, $"verifies step '{verified}' independently of its department, but both steps are handled by '{step.Department}'");
            }
        }
    }

    private static void CheckChosenJoins(YamlReader reader, IReadOnlyList<StepDefinition> steps)
    {
        foreach (var step in steps.Where(step => step.Join == JoinMode.AllChosen))
        {
            var triageNeeds = step.Needs.Where(need => steps.FirstOrDefault(candidate => candidate.Id == need)?.Kind == StepKind.Triage).ToList();
            if (triageNeeds.Count == 0)
            {
                reader.Error(step.Id, step.Needs.Count == 0
                    ? "join: all-chosen needs a triage step in needs"
                    : $"join: all-chosen waits for the departments chosen at a triage step, but none of its needs ({string.Join(", ", step.Needs)}) is a triage step");
            }
        }
    }
}
