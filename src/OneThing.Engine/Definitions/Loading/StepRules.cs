namespace OneThing.Engine;

/// <summary>The rules one step must keep on its own, whatever the other steps say.</summary>
internal static class StepRules
{
    private static readonly string[] DepartmentOnlyKeys = ["sees", "outcomes", "provides", "on_reject", "on_breach", "sla"];

    public static void Check(YamlReader reader, StepDraft draft, DepartmentCatalogue departments, IReadOnlyList<FormField> form)
    {
        if (draft.Id is not null && !DepartmentCatalogue.KebabCase().IsMatch(draft.Id))
        {
            reader.Error(draft.Step, "step id must be lowercase kebab-case, e.g. real-estate");
        }

        CheckKind(reader, draft, departments);
        CheckOutcomes(reader, draft);
        CheckProvides(reader, draft, form);
        CheckTriage(reader, draft, departments);
        CheckVerification(reader, draft);

        foreach (var duplicate in Duplicates(draft.Needs))
        {
            reader.Error(draft.Step, $"needs '{duplicate}' more than once");
        }

        foreach (var field in draft.Sees.Where(field => form.All(candidate => candidate.Key != field)))
        {
            reader.Error(draft.Step, $"unknown field '{field}' in sees");
        }

        foreach (var duplicate in Duplicates(draft.Sees))
        {
            reader.Error(draft.Step, $"field '{duplicate}' is listed more than once in sees");
        }
    }

    public static IEnumerable<string> Duplicates(IEnumerable<string> values) =>
        values.GroupBy(value => value, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key);

    /// <summary>What belongs to steps a department handles, and what belongs to wait and notify steps.</summary>
    private static void CheckKind(YamlReader reader, StepDraft draft, DepartmentCatalogue departments)
    {
        var step = draft.Step;
        if (draft.Department is not null && !draft.ByDepartment)
        {
            reader.Error(step, $"a {draft.KindName} step has no department; remove 'department'");
        }
        else if (draft.Department is not null && !departments.Contains(draft.Department))
        {
            reader.Error(step, $"unknown department '{draft.Department}'");
        }

        if (!draft.ByDepartment)
        {
            foreach (var key in DepartmentOnlyKeys.Where(draft.Has))
            {
                reader.Error(step, $"'{key}' is only for review and automated steps, not for a {draft.KindName} step");
            }
        }

        if (draft.Kind == StepKind.Notify && draft.Notify is null && !draft.Has("notify"))
        {
            reader.Error(step, "a notify step needs 'notify' with 'to' and 'message'");
        }
        else if (draft.Kind is not StepKind.Notify && draft.Has("notify"))
        {
            reader.Error(step, "'notify' is only for notify steps; to notify on a missed deadline use on_breach.notify");
        }

        if (draft.OnBreach is not null && draft.Sla is null && draft.ByDepartment)
        {
            reader.Error(step, "on_breach needs an sla: without a deadline the step can never breach it");
        }
    }

    private static void CheckOutcomes(YamlReader reader, StepDraft draft)
    {
        foreach (var outcome in draft.Outcomes)
        {
            if (!DepartmentCatalogue.KebabCase().IsMatch(outcome))
            {
                reader.Error(draft.Step, $"outcome '{outcome}' must be lowercase kebab-case, e.g. resolved");
            }
            else if (outcome is StepDefinition.Rejected or StepDefinition.Skipped or StepDefinition.Breached)
            {
                reader.Error(draft.Step, $"outcome '{outcome}' is reserved: a step is rejected with /reject, skipped by its condition, breached by its deadline");
            }
        }

        foreach (var duplicate in Duplicates(draft.Outcomes))
        {
            reader.Error(draft.Step, $"outcome '{duplicate}' is listed more than once");
        }
    }

    private static void CheckProvides(YamlReader reader, StepDraft draft, IReadOnlyList<FormField> form)
    {
        foreach (var key in draft.Provides)
        {
            var field = form.FirstOrDefault(candidate => candidate.Key == key);
            if (field is null)
            {
                reader.Error(draft.Step, $"unknown field '{key}' in provides");
            }
            else if (field.Required)
            {
                reader.Error(draft.Step, $"field '{key}' in provides must not be required: the applicant cannot fill it in when filing");
            }
        }

        if (draft.Outcomes.Count > 0 && draft.Kind is StepKind.Automated)
        {
            reader.Error(draft.Step, "outcomes are chosen by a reviewer; an automated step's department system can only complete or reject");
        }

        if (draft.Provides.Count > 0 && draft.Kind is not StepKind.Review)
        {
            reader.Error(draft.Step, "only review steps can provide form fields: a reviewer fills them in when approving");
        }
    }

    private static void CheckTriage(YamlReader reader, StepDraft draft, DepartmentCatalogue departments)
    {
        if (draft.Kind is not StepKind.Triage)
        {
            foreach (var key in new[] { "choose_from", "chosen_sla" }.Where(draft.Has))
            {
                reader.Error(draft.Step, $"'{key}' is only for triage steps, where a reviewer chooses the departments that act");
            }

            return;
        }

        if (draft.ChooseFrom.Count == 0)
        {
            reader.Error(draft.Step, "a triage step needs 'choose_from' listing at least one department the reviewer may choose");
        }

        foreach (var department in draft.ChooseFrom.Where(department => !departments.Contains(department)))
        {
            reader.Error(draft.Step, $"unknown department '{department}' in choose_from");
        }

        foreach (var duplicate in Duplicates(draft.ChooseFrom))
        {
            reader.Error(draft.Step, $"department '{duplicate}' is listed more than once in choose_from");
        }

        if (draft.Outcomes.Count > 0)
        {
            reader.Error(draft.Step, "a triage step has no outcomes: its reviewer chooses departments, each of which then decides its own task");
        }
    }

    /// <summary>A verification can only be passed by an independent decision, so nothing may end the step without one.</summary>
    private static void CheckVerification(YamlReader reader, StepDraft draft)
    {
        if (draft.Verifies is null)
        {
            return;
        }

        if (draft.Kind is not StepKind.Review)
        {
            reader.Error(draft.Step, "only review steps can verify: a person decides a verification (核查)");
        }

        if (draft.WhenText is not null)
        {
            reader.Error(draft.Step, "a verifying step cannot have 'when': the case completes only once it is verified, so it cannot be skipped");
        }

        if (draft.OnBreach is { Cancel: true })
        {
            reader.Error(draft.Step, "a verifying step cannot have on_breach.cancel: a missed deadline does not verify anything");
        }

        if (draft.OnReject == RejectionPolicy.Continue)
        {
            reader.Error(draft.Step, "a verifying step cannot have on_reject: continue; a failed verification is an outcome (e.g. not-clear) that a loop repeats");
        }
    }
}
