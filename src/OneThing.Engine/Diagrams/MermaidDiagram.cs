using System.Text;

namespace OneThing.Engine;

/// <summary>
/// Draws a workflow as a Mermaid flowchart: one node per step (shaped by kind), an arrow per need (labelled with
/// the step's condition and join), dashed arrows for on_breach starts, a box round each loop with a dashed arrow
/// back to its first step. Used by the CLI and by the API for the UI.
/// </summary>
public static class MermaidDiagram
{
    /// <param name="state">A running case: the departments joined to it (一键协同) are drawn beside the step they joined at.</param>
    public static string Render(WorkflowDefinition definition, DepartmentCatalogue? departments = null, CaseState? state = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var text = new StringBuilder();
        text.AppendLine("flowchart TD");
        var opening = definition.Incident is { } incident ? $"上报 / Reported<br/>{Escape(incident.Event)}" : "受理 / Filed";
        text.AppendLine($"    start((\"{opening}\"))");
        foreach (var step in definition.Steps)
        {
            text.AppendLine($"    {Node(step.Id)}{Shape(step, Label(step, departments))}");
        }

        text.AppendLine("    finish((\"办结 / Done\"))");

        var needed = definition.Steps.SelectMany(step => step.Needs).ToHashSet(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            var label = EdgeLabel(step);
            var arrow = label is null ? "-->" : $"-->|\"{Escape(label)}\"|";
            if (step.Needs.Count == 0)
            {
                text.AppendLine($"    start {arrow} {Node(step.Id)}");
            }

            foreach (var need in step.Needs)
            {
                text.AppendLine($"    {Node(need)} {arrow} {Node(step.Id)}");
            }
        }

        foreach (var step in definition.Steps.Where(step => step.OnBreach is not null))
        {
            foreach (var target in step.OnBreach!.Start)
            {
                text.AppendLine($"    {Node(step.Id)} -.->|\"超时 / breach\"| {Node(target)}");
            }
        }

        foreach (var loop in definition.Loops)
        {
            AppendLoop(text, definition, loop);
        }

        foreach (var step in definition.Steps.Where(step => !needed.Contains(step.Id)))
        {
            text.AppendLine($"    {Node(step.Id)} --> finish");
        }

        AppendJoined(text, state, departments);
        return text.ToString();
    }

    private static void AppendJoined(StringBuilder text, CaseState? state, DepartmentCatalogue? departments)
    {
        foreach (var step in state?.Steps ?? [])
        {
            foreach (var joined in step.Chosen.Where(chosen => chosen.WasJoined))
            {
                var node = "j_" + joined.Department.Replace('-', '_');
                var name = departments?.Find(joined.Department)?.Name.Zh ?? joined.Department;
                text.AppendLine($"    {node}[/\"{Escape($"协同 / joined: {name}")}\"/]");
                text.AppendLine($"    {Node(step.StepId)} -.->|\"{Escape("一键协同 / joined")}\"| {node}");
                text.AppendLine($"    {node} -.-> finish");
            }
        }
    }

    private static void AppendLoop(StringBuilder text, WorkflowDefinition definition, LoopDefinition loop)
    {
        var members = definition.Steps.Where(step => loop.Contains(step.Id)).ToList();
        text.AppendLine($"    subgraph loop_{loop.Id.Replace('-', '_')}[\"{Escape($"循环 / loop {loop.Id}: 至多 / max {loop.MaxRounds} 轮 / rounds")}\"]");
        foreach (var member in members)
        {
            text.AppendLine($"        {Node(member.Id)}");
        }

        text.AppendLine("    end");
        text.AppendLine($"    {Node(members[^1].Id)} -.->|\"{Escape($"重复直到 / repeat until {loop.UntilText}")}\"| {Node(members[0].Id)}");
        if (loop.OnMax.Step is { } target)
        {
            text.AppendLine($"    {Node(members[^1].Id)} -.->|\"{Escape($"{loop.MaxRounds} 轮未果 / after {loop.MaxRounds} rounds")}\"| {Node(target)}");
        }
    }

    private static string Label(StepDefinition step, DepartmentCatalogue? departments)
    {
        var lines = new List<string> { step.Name.Zh, step.Name.En };
        var who = step.Place is { } place
            ? $"{Territory.RoleLabel(place.Role).Zh} / {Territory.RoleName(place.Role)} ← {place.Field}"
            : step.Department is null ? null : departments?.Find(step.Department)?.Name.Zh ?? step.Department;
        var detail = step.Kind switch
        {
            StepKind.Wait => $"等待 / wait {step.Duration}",
            StepKind.Notify => $"通知 / notify → {step.Notify?.To}",
            _ => string.Join(" · ", new[] { who, step.Sla?.ToString() }.OfType<string>()),
        };
        lines.Add(detail);
        if (step.Outcomes.Count > 0)
        {
            lines.Add(string.Join(" | ", step.Outcomes));
        }

        if (step.Kind == StepKind.Triage)
        {
            lines.Add($"分派 / triage → {string.Join(" | ", step.ChooseFrom)}");
        }

        if (step.Verifies is { } verification)
        {
            lines.Add($"核查 / verifies {verification.Step}");
        }

        return string.Join("<br/>", lines.Select(Escape));
    }

    private static string? EdgeLabel(StepDefinition step)
    {
        var parts = new List<string>();
        if (step.Join == JoinMode.Any)
        {
            parts.Add("any of");
        }
        else if (step.Join == JoinMode.AllChosen)
        {
            parts.Add("all chosen");
        }

        if (step.WhenText is { } when)
        {
            parts.Add(when);
        }

        return parts.Count == 0 ? null : string.Join(": ", parts);
    }

    private static string Shape(StepDefinition step, string label) => step.Kind switch
    {
        StepKind.Automated => $"[[\"{label}\"]]",
        StepKind.Wait => $"([\"{label}\"])",
        StepKind.Notify => $">\"{label}\"]",
        StepKind.Triage => $"{{{{\"{label}\"}}}}",
        _ => $"[\"{label}\"]",
    };

    // Step ids are kebab-case, which Mermaid reads as arrows in places; underscores are safe.
    private static string Node(string stepId) => "s_" + stepId.Replace('-', '_');

    // Mermaid's own entity codes (#quot; …), since a quote would end the label and < > would be read as HTML.
    private static string Escape(string text) =>
        text.Replace("#", "#35;", StringComparison.Ordinal)
            .Replace("\"", "#quot;", StringComparison.Ordinal)
            .Replace("<", "#lt;", StringComparison.Ordinal)
            .Replace(">", "#gt;", StringComparison.Ordinal);
}
