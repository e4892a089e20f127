namespace OneThing.Engine;

/// <summary>The steps as a graph of needs: what a step waits for, directly or through other steps, and where that goes round in a cycle.</summary>
internal static class NeedsGraph
{
    /// <summary>Every step <paramref name="step"/> needs, directly or through other steps.</summary>
    public static HashSet<string> Upstream(StepDefinition step, IReadOnlyList<StepDefinition> steps)
    {
        var byId = steps.ToDictionary(candidate => candidate.Id, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(step.Needs);
        while (pending.TryPop(out var id))
        {
            if (seen.Add(id) && byId.TryGetValue(id, out var needed))
            {
                foreach (var need in needed.Needs)
                {
                    pending.Push(need);
                }
            }
        }

        return seen;
    }

    /// <summary>
    /// One cycle per strongly connected group of steps that depend on each other, as the path of step ids
    /// starting at the group's first step in definition order. Unknown needs are ignored here.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> FindCycles(IReadOnlyList<StepDefinition> steps)
    {
        var order = steps.Select((step, index) => (step.Id, index)).ToDictionary(pair => pair.Id, pair => pair.index, StringComparer.Ordinal);
        var edges = steps.ToDictionary(
            step => step.Id,
            step => step.Needs.Where(order.ContainsKey).ToList(),
            StringComparer.Ordinal);

        var cycles = new List<IReadOnlyList<string>>();
        foreach (var component in StronglyConnectedComponents(steps.Select(step => step.Id).ToList(), edges))
        {
            var members = component.OrderBy(id => order[id]).ToList();
            var start = members[0];
            if (members.Count == 1 && !edges[start].Contains(start))
            {
                continue;
            }

            cycles.Add(PathBack(start, members.ToHashSet(StringComparer.Ordinal), edges));
        }

        return cycles.OrderBy(cycle => order[cycle[0]]).ToList();
    }

    private static List<string> PathBack(string start, HashSet<string> component, Dictionary<string, List<string>> edges)
    {
        // Breadth-first inside the component gives the shortest way back to the start, which reads best in a message.
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var next in edges[current].Where(component.Contains))
            {
                if (next == start)
                {
                    var path = new List<string> { current };
                    while (path[^1] != start)
                    {
                        path.Add(previous[path[^1]]);
                    }

                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(next, current))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return [start];
    }

    private static List<List<string>> StronglyConnectedComponents(List<string> nodes, Dictionary<string, List<string>> edges)
    {
        var index = 0;
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLinks = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Connect(string node)
        {
            indices[node] = lowLinks[node] = index++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges[node])
            {
                if (!indices.ContainsKey(next))
                {
                    Connect(next);
                    lowLinks[node] = Math.Min(lowLinks[node], lowLinks[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLinks[node] = Math.Min(lowLinks[node], indices[next]);
                }
            }

            if (lowLinks[node] == indices[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in nodes.Where(node => !indices.ContainsKey(node)))
        {
            Connect(node);
        }

        return components;
    }
}
