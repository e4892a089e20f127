using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>Reads the <c>escalation</c> section: who is told, rising, as a step's deadline is overrun.</summary>
internal static class EscalationReader
{
    public static IReadOnlyList<EscalationLevel> Read(YamlReader reader, YamlMappingNode root)
    {
        if (YamlReader.Get(root, "escalation") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(null, $"escalation must be a list such as [{{ at: 100%, to: department-head }}, {{ at: 150%, to: supervisor }}] (line {node.Start.Line})");
            return [];
        }

        var levels = new List<EscalationLevel>();
        foreach (var (item, index) in sequence.Select((item, index) => (item, index)))
        {
            if (reader.AsMapping(item, null, $"escalation[{index}]") is { } mapping && ReadLevel(reader, mapping, $"escalation[{index}]: ", levels) is { } level)
            {
                levels.Add(level);
            }
        }

        return levels;
    }

    private static EscalationLevel? ReadLevel(YamlReader reader, YamlMappingNode mapping, string prefix, List<EscalationLevel> before)
    {
        reader.CheckKeys(mapping, null, prefix, "at", "to");
        var at = reader.Scalar(mapping, "at", null, prefix, required: true);
        var to = reader.Scalar(mapping, "to", null, prefix, required: true);
        if (at is null || to is null)
        {
            return null;
        }

        // Below 100% is the yellow light's job; an escalation answers a missed deadline.
        if (!at.EndsWith('%') || !int.TryParse(at[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
            || percent is < 100 or > 1000)
        {
            reader.Error(null, $"{prefix}at '{at}' must be a share of the step's deadline from 100% to 1000%, e.g. 100% or 150%");
            return null;
        }

        if (!DepartmentCatalogue.KebabCase().IsMatch(to))
        {
            reader.Error(null, $"{prefix}to '{to}' must be a role in kebab-case, e.g. department-head or supervisor");
            return null;
        }

        if (before.Count > 0 && percent / 100.0 <= before[^1].Share)
        {
            reader.Error(null, $"{prefix}at {at} must come after the level before it ({before[^1].Share:P0})");
            return null;
        }

        return new EscalationLevel(percent / 100.0, to);
    }
}
