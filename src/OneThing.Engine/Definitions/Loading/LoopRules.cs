namespace OneThing.Engine;

/// <summary>The rules a loop keeps with the steps around it, so that every round can start and every case can end.</summary>
internal static class LoopRules
{
    public static bool Check(YamlReader reader, LoopDefinition loop, IReadOnlyList<LoopDefinition> before, IReadOnlyList<StepDefinition> steps, bool acyclic)
    {
        var prefix = $"loop '{loop.Id}': ";
        var problems = 0;
        void Problem(string message)
        {
            reader.Error(null, prefix + message);
            problems++;
        }

        if (before.Any(other => other.Id == loop.Id))
        {
            Problem($"duplicate loop id '{loop.Id}'");
        }

        foreach (var member in loop.Steps)
        {
            if (before.FirstOrDefault(other => other.Contains(member)) is { } other)
            {
                Problem($"step '{member}' is already in loop '{other.Id}'; a step repeats with one loop only");
            }
        }

        if (acyclic)
        {
            CheckEntry(loop, steps, Problem);
        }

        CheckLimit(loop, steps, acyclic, Problem);
        return problems == 0;
    }

    /// <summary>A step outside the loop that a loop step needs must not itself need the loop: it would wait for the loop forever.</summary>
    private static void CheckEntry(LoopDefinition loop, IReadOnlyList<StepDefinition> steps, Action<string> problem)
    {
        foreach (var member in steps.Where(step => loop.Contains(step.Id)))
        {
            foreach (var need in member.Needs.Where(need => !loop.Contains(need)))
            {
                var outside = steps.FirstOrDefault(step => step.Id == need);
                if (outside is not null && NeedsGraph.Upstream(outside, steps).FirstOrDefault(loop.Contains) is { } inside)
                {
                    problem($"step '{member.Id}' needs '{need}', which needs loop step '{inside}' and so waits for the loop to end; put '{need}' in the loop or after it");
                }
            }
        }
    }

    private static void CheckLimit(LoopDefinition loop, IReadOnlyList<StepDefinition> steps, bool acyclic, Action<string> problem)
    {
        if (loop.OnMax.Action != LoopLimitAction.StartStep)
        {
            return;
        }

        var target = steps.FirstOrDefault(step => step.Id == loop.OnMax.Step);
        if (target is null)
        {
            problem($"unknown on_max '{loop.OnMax.Step}'; use escalate (supervisors are told and the case goes on), end-case (the case ends unresolved) or the id of a step to start");
        }
        else if (loop.Contains(target.Id))
        {
            problem($"on_max names step '{target.Id}', which is in the loop; name a step after it");
        }
        else if (target.Needs.Count == 0)
        {
            problem($"on_max names step '{target.Id}', which needs nothing and so has already started when the loop reaches its last round");
        }
        else if (acyclic && steps.Where(step => loop.Contains(step.Id)).Any(step => NeedsGraph.Upstream(step, steps).Contains(target.Id)))
        {
            problem($"on_max names step '{target.Id}', which the loop's steps need, so it has ended before the loop runs");
        }
    }
}
