using OneThing.Engine;

namespace OneThing.Api.Web.Cases;

public sealed record DiagramNode(StepDefinition Step, int Column, int Row, double X, double Y);

public sealed record DiagramEdge(DiagramNode From, DiagramNode To);

/// <summary>A box round a loop's steps, with room above it for the arrow back from its last step to its first.</summary>
public sealed record DiagramLoop(LoopDefinition Loop, DiagramNode First, DiagramNode Last, double X, double Y, double Width, double Height);

/// <summary>
/// Places a workflow's steps left to right by their "needs": a step sits one column right of the last step it needs,
/// so parallel steps stack in one column and a join comes after all of its branches. Loops get a box round their steps
/// and the space above the steps for their arrow back.
/// </summary>
public sealed class WorkflowDiagramLayout
{
    public const double NodeWidth = 230, NodeHeight = 62, ColumnGap = 70, RowGap = 14, Margin = 10, LoopBand = 34, LoopPadding = 8;

    private WorkflowDiagramLayout(IReadOnlyList<DiagramNode> nodes, IReadOnlyList<DiagramEdge> edges, IReadOnlyList<DiagramLoop> loops, double width, double height)
    {
        Nodes = nodes;
        Edges = edges;
        Loops = loops;
        Width = width;
        Height = height;
    }

    public IReadOnlyList<DiagramNode> Nodes { get; }
    public IReadOnlyList<DiagramEdge> Edges { get; }
    public IReadOnlyList<DiagramLoop> Loops { get; }
    public double Width { get; }
    public double Height { get; }

    public static WorkflowDiagramLayout For(WorkflowDefinition definition)
    {
        // Definitions are checked for cycles when they load, so this recursion ends.
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        int ColumnOf(StepDefinition step) => columns.TryGetValue(step.Id, out var known)
            ? known
            : columns[step.Id] = step.Needs.Select(need => definition.FindStep(need)).OfType<StepDefinition>().Select(ColumnOf).DefaultIfEmpty(-1).Max() + 1;

        var placed = definition.Steps.GroupBy(ColumnOf).OrderBy(g => g.Key).ToList();
        var tallest = placed.Max(g => g.Count());
        var band = definition.Loops.Count > 0 ? LoopBand : 0;
        var height = Margin * 2 + band + tallest * NodeHeight + (tallest - 1) * RowGap;
        var nodes = new Dictionary<string, DiagramNode>(StringComparer.Ordinal);
        foreach (var column in placed)
        {
            var steps = column.ToList();
            // Centre short columns against the tallest so edges fan out symmetrically.
            var columnHeight = steps.Count * NodeHeight + (steps.Count - 1) * RowGap;
            var top = band + (height - band - columnHeight) / 2;
            for (var row = 0; row < steps.Count; row++)
            {
                nodes[steps[row].Id] = new DiagramNode(steps[row], column.Key, row, Margin + column.Key * (NodeWidth + ColumnGap),
                    top + row * (NodeHeight + RowGap));
            }
        }

        var edges = definition.Steps
            .SelectMany(step => step.Needs.Where(nodes.ContainsKey).Select(need => new DiagramEdge(nodes[need], nodes[step.Id])))
            .ToList();
        var width = Margin * 2 + placed.Count * NodeWidth + (placed.Count - 1) * ColumnGap;
        var loops = definition.Loops.Select(loop => Box(loop, definition.Steps.Where(s => loop.Contains(s.Id)).Select(s => nodes[s.Id]).ToList())).ToList();
        return new WorkflowDiagramLayout(definition.Steps.Select(s => nodes[s.Id]).ToList(), edges, loops, width, height);
    }

    private static DiagramLoop Box(LoopDefinition loop, List<DiagramNode> members)
    {
        var left = members.Min(n => n.X) - LoopPadding;
        var top = members.Min(n => n.Y) - LoopPadding;
        return new DiagramLoop(loop, members[0], members[^1], left, top,
            members.Max(n => n.X) + NodeWidth + LoopPadding - left, members.Max(n => n.Y) + NodeHeight + LoopPadding - top);
    }
}
