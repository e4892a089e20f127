namespace OneThing.Engine;

/// <summary>
/// The rules for <c>when</c>: the syntax is checked with the step, the names and values once every step is known,
/// because a condition may test the outcomes of earlier steps.
/// </summary>
internal static class ConditionRules
{
    public static Condition? Parse(YamlReader reader, string step, string? whenText)
    {
        if (whenText is null)
        {
            return null;
        }

        try
        {
            return ConditionParser.Parse(whenText);
        }
        catch (ConditionSyntaxException exception)
        {
            reader.Error(step, $"bad condition syntax in when '{whenText}': {exception.Message}");
            return null;
        }
    }

    /// <summary>Puts each condition that checks out on its step.</summary>
    public static void Attach(YamlReader reader, List<StepDefinition> steps, IReadOnlyDictionary<string, (Condition Parsed, string Text)> conditions,
        IReadOnlyList<FormField> form, bool acyclic)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (conditions.TryGetValue(steps[i].Id, out var condition)
                && Check(reader, steps[i], condition.Parsed, form, steps, acyclic))
            {
                steps[i] = steps[i] with { When = condition.Parsed, WhenText = condition.Text };
            }
        }
    }

    private static bool Check(YamlReader reader, StepDefinition step, Condition condition, IReadOnlyList<FormField> form,
        IReadOnlyList<StepDefinition> steps, bool acyclic)
    {
        var upstream = acyclic ? NeedsGraph.Upstream(step, steps) : new HashSet<string>(StringComparer.Ordinal);
        var problems = ConditionChecker.Check(condition, form, name => ResolveDottedName(name, steps, upstream, acyclic));
        foreach (var problem in problems)
        {
            reader.Error(step.Id, problem);
        }

        return problems.Count == 0;
    }

    /// <summary><c>steps.&lt;id&gt;.outcome</c> is a choice among that step's possible outcomes; <c>case.reports</c> counts incident reports.</summary>
    private static DottedName ResolveDottedName(string name, IReadOnlyList<StepDefinition> steps, HashSet<string> upstream, bool acyclic)
    {
        if (name == ConditionScope.ReportsName)
        {
            return new DottedName(new FormField(name, new LocalizedText("报告次数", "Number of reports"), FieldType.Number, false, [], false), null);
        }

        if (name == ConditionScope.PlaceCasesName)
        {
            return new DottedName(new FormField(name, new LocalizedText("同一地点90天内案件数", "Cases at the place in 90 days"), FieldType.Number, false, [], false), null);
        }

        var parts = name.Split('.');
        if (parts.Length != 3 || parts[0] != "steps" || parts[2] != "outcome")
        {
            return new DottedName(null, $"unknown name '{name}' in when; write a form field, steps.<step id>.outcome, {ConditionScope.ReportsName} or {ConditionScope.PlaceCasesName}");
        }

        var target = steps.FirstOrDefault(candidate => candidate.Id == parts[1]);
        if (target is null)
        {
            return new DottedName(null, $"unknown step '{parts[1]}' in when '{name}'");
        }

        if (acyclic && !upstream.Contains(target.Id))
        {
            return new DottedName(null,
                $"when tests the outcome of step '{target.Id}', which this step does not need (directly or through other steps), so it may not have ended yet; add it to needs");
        }

        return new DottedName(new FormField(name, target.Name, FieldType.Choice, false, target.PossibleOutcomes(), false), null);
    }
}
