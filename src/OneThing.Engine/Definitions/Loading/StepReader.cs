using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>Reads the <c>steps</c> section, then lets the step, graph and condition rules check it.</summary>
internal static class StepReader
{
    public static readonly string[] Keys =
        ["id", "name", "department", "kind", "needs", "join", "when", "sla", "sees", "outcomes", "provides", "on_reject", "on_breach", "duration", "notify",
        "verifies", "choose_from", "chosen_sla", PlaceReader.Key];

    public static IReadOnlyList<StepDefinition> Read(YamlReader reader, YamlMappingNode root, DepartmentCatalogue departments, IReadOnlyList<FormField> form)
    {
        var entries = reader.Sequence(root, "steps", null, "");
        if (YamlReader.Get(root, "steps") is null)
        {
            reader.Error(null, "missing required key 'steps'");
        }
        else if (entries.Count == 0)
        {
            reader.Error(null, "'steps' must list at least one step");
        }

        var steps = new List<StepDefinition>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var conditions = new Dictionary<string, (Condition Parsed, string Text)>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (reader.AsMapping(entries[i], $"#{i + 1}", "a step") is not { } entry)
            {
                continue;
            }

            var draft = ReadStep(reader, entry, $"#{i + 1}", form);
            StepRules.Check(reader, draft, departments, form);
            var when = ConditionRules.Parse(reader, draft.Step, draft.WhenText);
            if (draft.Id is not { } id)
            {
                continue;
            }

            if (!ids.Add(id))
            {
                reader.Error(id, $"duplicate step id '{id}'");
                continue;
            }

            if (when is not null)
            {
                conditions[id] = (when, draft.WhenText!);
            }

            steps.Add(draft.ToDefinition(id));
        }

        var acyclic = GraphRules.Check(reader, steps);
        ConditionRules.Attach(reader, steps, conditions, form, acyclic);
        return steps;
    }

    private static StepDraft ReadStep(YamlReader reader, YamlMappingNode entry, string position, IReadOnlyList<FormField> form)
    {
        var id = reader.Scalar(entry, "id", position, "", required: true);
        var step = id ?? position;
        reader.CheckKeys(entry, step, "", Keys);
        var name = reader.Text(entry, "name", step, "", required: true);
        var kindName = reader.Scalar(entry, "kind", step, "", required: false);
        var kind = kindName switch
        {
            null or "review" => StepKind.Review,
            "automated" => StepKind.Automated,
            "wait" => StepKind.Wait,
            "notify" => StepKind.Notify,
            "triage" => StepKind.Triage,
            _ => (StepKind?)null,
        };
        if (kind is null)
        {
            reader.Error(step, $"unknown kind '{kindName}'; use review, automated, wait, notify or triage");
        }

        var draft = new StepDraft(entry, id, step) { Name = name, KindName = kindName, Kind = kind };
        var department = reader.Scalar(entry, "department", step, "", required: draft.ByDepartment && !draft.Has(PlaceReader.Key));
        var needs = reader.List(entry, "needs", step, "");
        return draft with
        {
            Department = department,
            Needs = needs,
            WhenText = reader.Scalar(entry, "when", step, "", required: false),
            Sla = StepPartsReader.ReadSla(reader, entry, step, ""),
            Sees = reader.List(entry, "sees", step, ""),
            Outcomes = reader.List(entry, "outcomes", step, ""),
            Provides = reader.List(entry, "provides", step, ""),
            Join = StepPartsReader.ReadJoin(reader, entry, step, needs.Count),
            OnReject = StepPartsReader.ReadRejectionPolicy(reader, entry, step),
            OnBreach = StepPartsReader.ReadBreachActions(reader, entry, step, form),
            Duration = StepPartsReader.ReadDuration(reader, entry, step, kind),
            Notify = YamlReader.Get(entry, "notify") is { } notifyNode
                ? StepPartsReader.ReadNotification(reader, notifyNode, step, "notify: ", form)
                : null,
            Verifies = StepPartsReader.ReadVerification(reader, entry, step),
            ChooseFrom = reader.List(entry, "choose_from", step, ""),
            ChosenSla = StepPartsReader.ReadSla(reader, entry, step, "", "chosen_sla"),
        };
    }
}
