namespace OneThing.Engine;

/// <summary>
/// The rules for <c>when</c>: the syntax is checked with the step, the names and values once every step is known,
/// because a condition may test the outcomes of earlier steps.
/// </summary>
internal static class ConditionRules
{
    /// <param name="key">when, or a loop's until, as the message names it.</param>
    public static Condition? Parse(YamlReader reader, string? step, string? text, string prefix = "", string key = "when")
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return ConditionParser.Parse(text);
        }
        catch (ConditionSyntaxException exception)
        {
            reader.Error(step, $"{prefix}bad condition syntax in {key} '{text}': {exception.Message}");
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
        string? Unreachable(StepDefinition target) => acyclic && !upstream.Contains(target.Id)
            ? $"when tests the outcome of step '{target.Id}', which this step does not need (directly or through other steps), so it may not have ended yet; add it to needs"
            : null;

        return Report(reader, step.Id, "", ConditionChecker.Check(condition, form, name => ResolveDottedName(name, "when", steps, Unreachable)));
    }

    /// <summary>A loop's <c>until</c> is tested when a round ends, so it may test the outcomes of the loop's own steps only.</summary>
    public static bool CheckUntil(YamlReader reader, string prefix, Condition condition, IReadOnlyList<FormField> form,
        IReadOnlyList<StepDefinition> steps, IReadOnlyList<string> loopSteps)
    {
        string? Unreachable(StepDefinition target) => loopSteps.Contains(target.Id, StringComparer.Ordinal)
            ? null
            : $"until tests the outcome of step '{target.Id}', which is not in the loop; a round ends with the outcomes of {string.Join(", ", loopSteps)}";

        var problems = ConditionChecker.Check(condition, form, name => ResolveDottedName(name, "until", steps, Unreachable));
        return Report(reader, null, prefix, problems.Select(problem => problem.Replace(" in when", " in until", StringComparison.Ordinal)).ToList());
    }

    private static bool Report(YamlReader reader, string? step, string prefix, IReadOnlyList<string> problems)
    {
        foreach (var problem in problems)
        {
            reader.Error(step, prefix + problem);
        }

        return problems.Count == 0;
    }

    /// <summary><c>steps.&lt;id&gt;.outcome</c> is a choice among that step's possible outcomes; <c>case.reports</c> counts incident reports.</summary>
    /// <param name="unreachable">Why the condition cannot test that step's outcome, or null when it can.</param>
    private static DottedName ResolveDottedName(string name, string key, IReadOnlyList<StepDefinition> steps, Func<StepDefinition, string?> unreachable)
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
            return new DottedName(null, $"unknown name '{name}' in {key}; write a form field, steps.<step id>.outcome, {ConditionScope.ReportsName} or {ConditionScope.PlaceCasesName}");
        }

        var target = steps.FirstOrDefault(candidate => candidate.Id == parts[1]);
        if (target is null)
        {
            return new DottedName(null, $"unknown step '{parts[1]}' in {key} '{name}'");
        }

        return unreachable(target) is { } problem
            ? new DottedName(null, problem)
            : new DottedName(new FormField(name, target.Name, FieldType.Choice, false, target.PossibleOutcomes(), false), null);
    }
}
