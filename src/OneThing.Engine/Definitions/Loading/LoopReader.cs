using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>Reads the <c>loops</c> section: groups of steps that repeat until a condition on their outcomes holds.</summary>
internal static class LoopReader
{
    public static readonly string[] Keys = ["id", "steps", "until", "max_rounds", "on_max"];

    public static IReadOnlyList<LoopDefinition> Read(YamlReader reader, YamlMappingNode root, IReadOnlyList<StepDefinition> steps,
        IReadOnlyList<FormField> form, bool acyclic)
    {
        if (YamlReader.Get(root, "loops") is null)
        {
            return [];
        }

        var read = new List<LoopDefinition>();
        var loops = new List<LoopDefinition>();
        var entries = reader.Sequence(root, "loops", null, "");
        for (var i = 0; i < entries.Count; i++)
        {
            if (reader.AsMapping(entries[i], null, $"loop #{i + 1}") is { } entry && ReadLoop(reader, entry, i, steps, form) is { } loop)
            {
                if (LoopRules.Check(reader, loop, read, steps, acyclic))
                {
                    loops.Add(loop);
                }

                read.Add(loop);
            }
        }

        return loops;
    }

    private static LoopDefinition? ReadLoop(YamlReader reader, YamlMappingNode entry, int index, IReadOnlyList<StepDefinition> steps,
        IReadOnlyList<FormField> form)
    {
        var id = reader.Scalar(entry, "id", null, $"loop #{index + 1}: ", required: true);
        var prefix = id is null ? $"loop #{index + 1}: " : $"loop '{id}': ";
        reader.CheckKeys(entry, null, prefix, Keys);
        var members = reader.List(entry, "steps", null, prefix);
        var untilText = reader.Scalar(entry, "until", null, prefix, required: true);
        var maxText = reader.Scalar(entry, "max_rounds", null, prefix, required: true);
        var onMaxText = reader.Scalar(entry, "on_max", null, prefix, required: true);

        if (id is not null && !DepartmentCatalogue.KebabCase().IsMatch(id))
        {
            reader.Error(null, $"{prefix}id must be lowercase kebab-case, e.g. rectification");
        }

        var known = CheckMembers(reader, prefix, members, steps);
        int? maxRounds = null;
        if (maxText is not null && int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) && rounds >= 1)
        {
            maxRounds = rounds;
        }
        else if (maxText is not null)
        {
            reader.Error(null, $"{prefix}max_rounds '{maxText}' must be a whole number of rounds, at least 1");
        }

        var until = ConditionRules.Parse(reader, null, untilText, prefix, "until");
        var untilHolds = until is not null && known && ConditionRules.CheckUntil(reader, prefix, until, form, steps, members);
        var onMax = onMaxText is null ? null : ReadLimit(onMaxText);
        return id is null || !untilHolds || maxRounds is null || onMax is null
            ? null
            : new LoopDefinition(id, members.Distinct(StringComparer.Ordinal).ToList(), until!, untilText!, maxRounds.Value, onMax);
    }

    private static bool CheckMembers(YamlReader reader, string prefix, IReadOnlyList<string> members, IReadOnlyList<StepDefinition> steps)
    {
        if (members.Count == 0)
        {
            reader.Error(null, $"{prefix}'steps' must list the steps that repeat, at least one");
            return false;
        }

        var known = true;
        foreach (var member in members.Where(member => steps.All(step => step.Id != member)))
        {
            reader.Error(null, $"{prefix}unknown step '{member}' in steps");
            known = false;
        }

        foreach (var duplicate in StepRules.Duplicates(members))
        {
            reader.Error(null, $"{prefix}step '{duplicate}' is listed more than once");
        }

        return known;
    }

    private static LoopLimit ReadLimit(string text) => text switch
    {
        "escalate" => new LoopLimit(LoopLimitAction.Escalate, null),
        "end-case" => new LoopLimit(LoopLimitAction.EndCase, null),
        _ => new LoopLimit(LoopLimitAction.StartStep, text),
    };
}
