using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>
/// Turns workflow YAML into a checked <see cref="WorkflowDefinition"/>. Every problem in a file is reported at once,
/// each naming the file, the step when there is one, and what is wrong.
/// </summary>
public static partial class WorkflowLoader
{
    public const string DepartmentsFileName = "departments.yaml";

    internal static readonly string[] RootKeys = ["id", "name", "description", "sla", "escalation", "incident", "form", "steps"];
    internal static readonly string[] FieldKeys = ["key", "label", "type", "required", "personal", "options"];
    internal static readonly string[] StepKeys =
        ["id", "name", "department", "kind", "needs", "join", "when", "sla", "sees", "outcomes", "provides", "on_reject", "on_breach", "duration", "notify"];

    private static readonly Dictionary<string, FieldType> FieldTypesByName = new(StringComparer.Ordinal)
    {
        ["text"] = FieldType.Text,
        ["bool"] = FieldType.Bool,
        ["number"] = FieldType.Number,
        ["date"] = FieldType.Date,
        ["choice"] = FieldType.Choice,
        ["idNumber"] = FieldType.IdNumber,
        ["creditCode"] = FieldType.CreditCode,
        ["mobile"] = FieldType.Mobile,
        ["attachment"] = FieldType.Attachment,
    };

    public static LoadedWorkflow Parse(string yamlText, string fileName, DepartmentCatalogue departments)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(departments);
        var reader = new YamlReader(fileName);
        var definition = reader.LoadRoot(yamlText) is { } root ? ReadWorkflow(reader, root, departments) : null;
        if (reader.Errors.Count > 0 || definition is null)
        {
            throw new WorkflowValidationException(reader.Errors);
        }

        return new LoadedWorkflow(definition, yamlText, ContentHash(yamlText), fileName);
    }

    /// <summary>
    /// Reads <c>departments.yaml</c> and then every other top-level <c>*.yaml</c> / <c>*.yml</c> file in name order,
    /// and reports the problems of all files together.
    /// </summary>
    public static (DepartmentCatalogue Departments, IReadOnlyList<LoadedWorkflow> Workflows) LoadDirectory(string directory)
    {
        var departmentsPath = Path.Combine(directory, DepartmentsFileName);
        if (!File.Exists(departmentsPath))
        {
            throw new WorkflowValidationException(
                [new WorkflowError(DepartmentsFileName, null, $"not found in {Path.GetFullPath(directory)}")]);
        }

        var departments = DepartmentCatalogue.Parse(File.ReadAllText(departmentsPath), DepartmentsFileName);

        var files = Directory.EnumerateFiles(directory, "*", SearchOption.TopDirectoryOnly)
            .Where(path => path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Where(path => !string.Equals(Path.GetFileName(path), DepartmentsFileName, StringComparison.OrdinalIgnoreCase))
            .OrderBy(path => Path.GetFileName(path), StringComparer.Ordinal);

        var errors = new List<WorkflowError>();
        var workflows = new List<LoadedWorkflow>();
        var fileById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var fileName = Path.GetFileName(path);
            try
            {
                var workflow = Parse(File.ReadAllText(path), fileName, departments);
                if (fileById.TryGetValue(workflow.Definition.Id, out var firstFile))
                {
                    errors.Add(new WorkflowError(fileName, null, $"duplicate workflow id '{workflow.Definition.Id}', already defined in {firstFile}"));
                    continue;
                }

                if (workflow.Definition.Incident is { } incident
                    && workflows.FirstOrDefault(other => other.Definition.Incident?.Event == incident.Event) is { } sameEvent)
                {
                    errors.Add(new WorkflowError(fileName, null, $"incident event '{incident.Event}' already opens cases of {sameEvent.FileName}"));
                    continue;
                }

                fileById.Add(workflow.Definition.Id, fileName);
                workflows.Add(workflow);
            }
            catch (WorkflowValidationException exception)
            {
                errors.AddRange(exception.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(errors);
        }

        return (departments, workflows);
    }

    public static string ContentHash(string sourceText)
    {
        var normalised = sourceText.Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    private static WorkflowDefinition? ReadWorkflow(YamlReader reader, YamlMappingNode root, DepartmentCatalogue departments)
    {
        reader.CheckKeys(root, null, "", RootKeys);

        var id = reader.Scalar(root, "id", null, "", required: true);
        if (id is not null && !DepartmentCatalogue.KebabCase().IsMatch(id))
        {
            reader.Error(null, $"id '{id}' must be lowercase kebab-case, e.g. identity-change");
        }

        var name = reader.Text(root, "name", null, "", required: true);
        var description = reader.Text(root, "description", null, "", required: false);
        var sla = ReadSla(reader, root, null, "");
        var form = ReadForm(reader, root);
        var steps = ReadSteps(reader, root, departments, form);
        var incident = ReadIncident(reader, root, form);
        var escalation = ReadEscalation(reader, root);

        if (id is null || name is null)
        {
            return null;
        }

        return new WorkflowDefinition(id, name, description, sla, form, steps) { Incident = incident, Escalation = escalation };
    }

    private static IReadOnlyList<EscalationLevel> ReadEscalation(YamlReader reader, YamlMappingNode root)
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
            var prefix = $"escalation[{index}]: ";
            if (reader.AsMapping(item, null, $"escalation[{index}]") is not { } mapping)
            {
                continue;
            }

            reader.CheckKeys(mapping, null, prefix, "at", "to");
            var at = reader.Scalar(mapping, "at", null, prefix, required: true);
            var to = reader.Scalar(mapping, "to", null, prefix, required: true);
            if (at is null || to is null)
            {
                continue;
            }

            // Below 100% is the yellow light's job; an escalation answers a missed deadline.
            if (!at.EndsWith('%') || !int.TryParse(at[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent)
                || percent is < 100 or > 1000)
            {
                reader.Error(null, $"{prefix}at '{at}' must be a share of the step's deadline from 100% to 1000%, e.g. 100% or 150%");
                continue;
            }

            if (!DepartmentCatalogue.KebabCase().IsMatch(to))
            {
                reader.Error(null, $"{prefix}to '{to}' must be a role in kebab-case, e.g. department-head or supervisor");
                continue;
            }

            if (levels.Count > 0 && percent / 100.0 <= levels[^1].Share)
            {
                reader.Error(null, $"{prefix}at {at} must come after the level before it ({levels[^1].Share:P0})");
                continue;
            }

            levels.Add(new EscalationLevel(percent / 100.0, to));
        }

        return levels;
    }

    private static IncidentSpec? ReadIncident(YamlReader reader, YamlMappingNode root, IReadOnlyList<FormField> form)
    {
        if (YamlReader.Get(root, "incident") is not { } node || reader.AsMapping(node, null, "incident") is not { } mapping)
        {
            return null;
        }

        const string prefix = "incident: ";
        reader.CheckKeys(mapping, null, prefix, "event", "place", "merge_window");
        var eventType = reader.Scalar(mapping, "event", null, prefix, required: true);
        var place = reader.Scalar(mapping, "place", null, prefix, required: true);
        var windowText = reader.Scalar(mapping, "merge_window", null, prefix, required: true);
        if (eventType is not null && !DepartmentCatalogue.KebabCase().IsMatch(eventType))
        {
            reader.Error(null, $"{prefix}event '{eventType}' must be lowercase kebab-case, e.g. water-meter-alert");
        }

        var placeField = place is null ? null : form.FirstOrDefault(field => field.Key == place);
        if (place is not null && placeField is null)
        {
            reader.Error(null, $"{prefix}place names unknown field '{place}'");
        }
        else if (placeField is not null && placeField.Type is not (FieldType.Text or FieldType.Choice))
        {
            reader.Error(null, $"{prefix}place field '{place}' must be a text or choice field");
        }
        else if (placeField is { Required: false })
        {
            reader.Error(null, $"{prefix}place field '{place}' must be required: reports are matched by place");
        }

        Sla? window = null;
        if (windowText is not null)
        {
            if (!Sla.TryParse(windowText, out window, out var error))
            {
                reader.Error(null, $"{prefix}bad merge_window: {error}");
            }
            else if (BusinessCalendar.IsWorkTime(window))
            {
                reader.Error(null, $"{prefix}merge_window counts wall-clock time (e.g. 2h, 30m, 1d), not working time");
                window = null;
            }
        }

        return eventType is null || placeField is null || window is null ? null : new IncidentSpec(eventType, placeField.Key, window);
    }

    private static IReadOnlyList<FormField> ReadForm(YamlReader reader, YamlMappingNode root)
    {
        var fields = new List<FormField>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var entries = reader.Sequence(root, "form", null, "");
        for (var i = 0; i < entries.Count; i++)
        {
            if (reader.AsMapping(entries[i], null, $"form field #{i + 1}") is not { } entry)
            {
                continue;
            }

            var key = reader.Scalar(entry, "key", null, $"form field #{i + 1}: ", required: true);
            var prefix = key is null ? $"form field #{i + 1}: " : $"field '{key}': ";
            reader.CheckKeys(entry, null, prefix, FieldKeys);
            var label = reader.Text(entry, "label", null, prefix, required: true);
            var typeName = reader.Scalar(entry, "type", null, prefix, required: true);
            var required = reader.Bool(entry, "required", null, prefix);
            var personal = reader.Bool(entry, "personal", null, prefix);
            var options = reader.List(entry, "options", null, prefix);

            FieldType? type = null;
            if (typeName is not null)
            {
                if (FieldTypesByName.TryGetValue(typeName, out var knownType))
                {
                    type = knownType;
                }
                else
                {
                    reader.Error(null, $"{prefix}unknown type '{typeName}'; use one of {string.Join(", ", FieldTypesByName.Keys)}");
                }
            }

            var hasOptions = YamlReader.Get(entry, "options") is not null;
            if (type == FieldType.Choice && options.Count == 0)
            {
                reader.Error(null, $"{prefix}a choice field needs 'options' with at least one value");
            }
            else if (type is not null and not FieldType.Choice && hasOptions)
            {
                reader.Error(null, $"{prefix}'options' are only allowed on choice fields");
            }

            foreach (var duplicate in options.GroupBy(option => option, StringComparer.Ordinal).Where(group => group.Count() > 1))
            {
                reader.Error(null, $"{prefix}option '{duplicate.Key}' is listed more than once");
            }

            if (key is null)
            {
                continue;
            }

            if (!FieldKey().IsMatch(key))
            {
                reader.Error(null, $"{prefix}key must be a camelCase identifier of letters and digits, e.g. idNumber");
                continue;
            }

            if (!keys.Add(key))
            {
                reader.Error(null, $"duplicate field key '{key}'");
                continue;
            }

            if (label is not null && type is { } fieldType)
            {
                fields.Add(new FormField(
                    key,
                    label,
                    fieldType,
                    required,
                    fieldType == FieldType.Choice ? options : [],
                    personal || fieldType is FieldType.IdNumber or FieldType.Mobile));
            }
        }

        return fields;
    }

    private static IReadOnlyList<StepDefinition> ReadSteps(YamlReader reader, YamlMappingNode root, DepartmentCatalogue departments, IReadOnlyList<FormField> form)
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

            var id = reader.Scalar(entry, "id", $"#{i + 1}", "", required: true);
            var step = id ?? $"#{i + 1}";
            reader.CheckKeys(entry, step, "", StepKeys);
            var name = reader.Text(entry, "name", step, "", required: true);
            var kindName = reader.Scalar(entry, "kind", step, "", required: false);
            var kind = kindName switch
            {
                null or "review" => StepKind.Review,
                "automated" => StepKind.Automated,
                "wait" => StepKind.Wait,
                "notify" => StepKind.Notify,
                _ => (StepKind?)null,
            };
            if (kind is null)
            {
                reader.Error(step, $"unknown kind '{kindName}'; use review, automated, wait or notify");
            }

            var byDepartment = kind is null or StepKind.Review or StepKind.Automated;
            var department = reader.Scalar(entry, "department", step, "", required: byDepartment);
            var needs = reader.List(entry, "needs", step, "");
            var whenText = reader.Scalar(entry, "when", step, "", required: false);
            var sla = ReadSla(reader, entry, step, "");
            var sees = reader.List(entry, "sees", step, "");
            var outcomes = reader.List(entry, "outcomes", step, "");
            var provides = reader.List(entry, "provides", step, "");
            var join = ReadJoin(reader, entry, step, needs.Count);
            var onReject = ReadRejectionPolicy(reader, entry, step);
            var onBreach = ReadBreachActions(reader, entry, step, form);
            var duration = ReadDuration(reader, entry, step, kind);
            var notify = YamlReader.Get(entry, "notify") is { } notifyNode
                ? ReadNotification(reader, notifyNode, step, "notify: ", form)
                : null;

            if (id is not null && !DepartmentCatalogue.KebabCase().IsMatch(id))
            {
                reader.Error(step, "step id must be lowercase kebab-case, e.g. real-estate");
            }

            if (department is not null && !byDepartment)
            {
                reader.Error(step, $"a {kindName} step has no department; remove 'department'");
            }
            else if (department is not null && !departments.Contains(department))
            {
                reader.Error(step, $"unknown department '{department}'");
            }

            if (!byDepartment)
            {
                foreach (var key in new[] { "sees", "outcomes", "provides", "on_reject", "on_breach", "sla" })
                {
                    if (YamlReader.Get(entry, key) is not null)
                    {
                        reader.Error(step, $"'{key}' is only for review and automated steps, not for a {kindName} step");
                    }
                }
            }

            if (kind == StepKind.Notify && notify is null && YamlReader.Get(entry, "notify") is null)
            {
                reader.Error(step, "a notify step needs 'notify' with 'to' and 'message'");
            }
            else if (kind is not StepKind.Notify && YamlReader.Get(entry, "notify") is not null)
            {
                reader.Error(step, "'notify' is only for notify steps; to notify on a missed deadline use on_breach.notify");
            }

            if (onBreach is not null && sla is null && byDepartment)
            {
                reader.Error(step, "on_breach needs an sla: without a deadline the step can never breach it");
            }

            foreach (var outcome in outcomes)
            {
                if (!DepartmentCatalogue.KebabCase().IsMatch(outcome))
                {
                    reader.Error(step, $"outcome '{outcome}' must be lowercase kebab-case, e.g. resolved");
                }
                else if (outcome is StepDefinition.Rejected or StepDefinition.Skipped or StepDefinition.Breached)
                {
                    reader.Error(step, $"outcome '{outcome}' is reserved: a step is rejected with /reject, skipped by its condition, breached by its deadline");
                }
            }

            foreach (var duplicate in outcomes.GroupBy(outcome => outcome, StringComparer.Ordinal).Where(group => group.Count() > 1))
            {
                reader.Error(step, $"outcome '{duplicate.Key}' is listed more than once");
            }

            foreach (var key in provides)
            {
                var field = form.FirstOrDefault(candidate => candidate.Key == key);
                if (field is null)
                {
                    reader.Error(step, $"unknown field '{key}' in provides");
                }
                else if (field.Required)
                {
                    reader.Error(step, $"field '{key}' in provides must not be required: the applicant cannot fill it in when filing");
                }
            }

            if (outcomes.Count > 0 && kind is StepKind.Automated)
            {
                reader.Error(step, "outcomes are chosen by a reviewer; an automated step's department system can only complete or reject");
            }

            if (provides.Count > 0 && kind is not StepKind.Review)
            {
                reader.Error(step, "only review steps can provide form fields: a reviewer fills them in when approving");
            }

            foreach (var duplicate in needs.GroupBy(need => need, StringComparer.Ordinal).Where(group => group.Count() > 1))
            {
                reader.Error(step, $"needs '{duplicate.Key}' more than once");
            }

            foreach (var field in sees)
            {
                if (form.All(candidate => candidate.Key != field))
                {
                    reader.Error(step, $"unknown field '{field}' in sees");
                }
            }

            foreach (var duplicate in sees.GroupBy(field => field, StringComparer.Ordinal).Where(group => group.Count() > 1))
            {
                reader.Error(step, $"field '{duplicate.Key}' is listed more than once in sees");
            }

            var when = ParseCondition(reader, step, whenText);

            if (id is null)
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
                conditions[id] = (when, whenText!);
            }

            // A missing name or department has been reported, so Parse will throw; placeholders keep the checks below going.
            steps.Add(new StepDefinition(
                id,
                name ?? new LocalizedText(id, id),
                byDepartment ? department ?? "" : null,
                kind ?? StepKind.Review,
                needs.Distinct(StringComparer.Ordinal).ToList(),
                null,
                null,
                sla,
                sees.Distinct(StringComparer.Ordinal).ToList())
            {
                Outcomes = outcomes.Distinct(StringComparer.Ordinal).ToList(),
                Provides = provides.Distinct(StringComparer.Ordinal).ToList(),
                Join = join,
                OnReject = onReject,
                OnBreach = onBreach,
                Duration = duration,
                Notify = notify,
            });
        }

        foreach (var step in steps)
        {
            foreach (var need in step.Needs.Where(need => !ids.Contains(need)))
            {
                reader.Error(step.Id, $"needs unknown step '{need}'");
            }
        }

        var cycles = NeedsGraph.FindCycles(steps);
        foreach (var cycle in cycles)
        {
            reader.Error(cycle[0], $"needs form a cycle: {string.Join(" → ", cycle.Append(cycle[0]))} (each step needs the next)");
        }

        CheckBreachTargets(reader, steps);

        // Conditions are checked once every step is known, because they may test the outcomes of earlier steps.
        for (var i = 0; i < steps.Count; i++)
        {
            if (conditions.TryGetValue(steps[i].Id, out var condition)
                && CheckCondition(reader, steps[i], condition.Parsed, condition.Text, form, steps, cycles.Count == 0))
            {
                steps[i] = steps[i] with { When = condition.Parsed, WhenText = condition.Text };
            }
        }

        return steps;
    }

    private static Condition? ParseCondition(YamlReader reader, string step, string? whenText)
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

    private static bool CheckCondition(YamlReader reader, StepDefinition step, Condition condition, string text, IReadOnlyList<FormField> form,
        IReadOnlyList<StepDefinition> steps, bool acyclic)
    {
        var upstream = acyclic ? Upstream(step, steps) : new HashSet<string>(StringComparer.Ordinal);
        var problems = ConditionChecker.Check(condition, form, name => ResolveDottedName(name, step, steps, upstream, acyclic));
        foreach (var problem in problems)
        {
            reader.Error(step.Id, problem);
        }

        return problems.Count == 0;
    }

    /// <summary><c>steps.&lt;id&gt;.outcome</c> is a choice among that step's possible outcomes; <c>case.reports</c> counts incident reports.</summary>
    private static DottedName ResolveDottedName(string name, StepDefinition step, IReadOnlyList<StepDefinition> steps, HashSet<string> upstream, bool acyclic)
    {
        if (name == ConditionScope.ReportsName)
        {
            return new DottedName(new FormField(name, new LocalizedText("报告次数", "Number of reports"), FieldType.Number, false, [], false), null);
        }

        var parts = name.Split('.');
        if (parts.Length != 3 || parts[0] != "steps" || parts[2] != "outcome")
        {
            return new DottedName(null, $"unknown name '{name}' in when; write a form field, steps.<step id>.outcome or {ConditionScope.ReportsName}");
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

    private static HashSet<string> Upstream(StepDefinition step, IReadOnlyList<StepDefinition> steps)
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

    private static void CheckBreachTargets(YamlReader reader, IReadOnlyList<StepDefinition> steps)
    {
        var ids = steps.Select(step => step.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var step in steps.Where(step => step.OnBreach is not null))
        {
            foreach (var target in step.OnBreach!.Start)
            {
                if (target == step.Id)
                {
                    reader.Error(step.Id, "on_breach.start names the step itself; a step cannot restart itself");
                }
                else if (!ids.Contains(target))
                {
                    reader.Error(step.Id, $"on_breach.start names unknown step '{target}'");
                }
                else if (steps.First(candidate => candidate.Id == target).Needs.Count == 0)
                {
                    reader.Error(step.Id, $"on_breach.start names step '{target}', which needs nothing and so has already started when this step breaches");
                }
            }

            var upstream = NeedsGraph.FindCycles(steps).Count == 0 ? Upstream(step, steps) : [];
            foreach (var target in step.OnBreach.Start.Where(upstream.Contains))
            {
                reader.Error(step.Id, $"on_breach.start names step '{target}', which this step needs, so it has ended before this step starts");
            }
        }
    }

    private static JoinMode ReadJoin(YamlReader reader, YamlMappingNode entry, string step, int needCount)
    {
        switch (reader.Scalar(entry, "join", step, "", required: false))
        {
            case null or "all":
                return JoinMode.All;
            case "any":
                if (needCount < 2)
                {
                    reader.Error(step, "join: any needs at least two steps in needs");
                }

                return JoinMode.Any;
            case var other:
                reader.Error(step, $"unknown join '{other}'; use all (every needed step has ended) or any (the first one approved)");
                return JoinMode.All;
        }
    }

    private static RejectionPolicy ReadRejectionPolicy(YamlReader reader, YamlMappingNode entry, string step)
    {
        switch (reader.Scalar(entry, "on_reject", step, "", required: false))
        {
            case null or "end-case":
                return RejectionPolicy.EndCase;
            case "continue":
                return RejectionPolicy.Continue;
            case var other:
                reader.Error(step, $"unknown on_reject '{other}'; use end-case (the case is rejected) or continue (the case goes on without this step)");
                return RejectionPolicy.EndCase;
        }
    }

    private static Sla? ReadDuration(YamlReader reader, YamlMappingNode entry, string step, StepKind? kind)
    {
        var text = reader.Scalar(entry, "duration", step, "", required: kind == StepKind.Wait);
        if (text is null)
        {
            return null;
        }

        if (kind is not StepKind.Wait)
        {
            reader.Error(step, "'duration' is only for wait steps; a deadline is written as sla");
            return null;
        }

        if (Sla.TryParse(text, out var duration, out var error))
        {
            return duration;
        }

        reader.Error(step, $"bad duration: {error}");
        return null;
    }

    private static BreachActions? ReadBreachActions(YamlReader reader, YamlMappingNode entry, string step, IReadOnlyList<FormField> form)
    {
        if (YamlReader.Get(entry, "on_breach") is not { } node)
        {
            return null;
        }

        if (reader.AsMapping(node, step, "on_breach") is not { } mapping)
        {
            return null;
        }

        const string prefix = "on_breach: ";
        reader.CheckKeys(mapping, step, prefix, "start", "cancel", "notify");
        var start = reader.List(mapping, "start", step, prefix);
        var cancel = reader.Bool(mapping, "cancel", step, prefix);
        var notify = YamlReader.Get(mapping, "notify") is { } notifyNode
            ? ReadNotification(reader, notifyNode, step, "on_breach.notify: ", form)
            : null;
        if (start.Count == 0 && !cancel && YamlReader.Get(mapping, "notify") is null)
        {
            reader.Error(step, "on_breach must say what happens: start, cancel and/or notify");
        }

        return new BreachActions(start.Distinct(StringComparer.Ordinal).ToList(), cancel, notify);
    }

    private static NotificationSpec? ReadNotification(YamlReader reader, YamlNode node, string step, string prefix, IReadOnlyList<FormField> form)
    {
        if (reader.AsMapping(node, step, prefix.TrimEnd(' ', ':')) is not { } mapping)
        {
            return null;
        }

        reader.CheckKeys(mapping, step, prefix, "to", "message");
        var to = reader.Scalar(mapping, "to", step, prefix, required: true);
        var message = reader.Text(mapping, "message", step, prefix, required: true);
        if (to is not null and not (NotificationSpec.Applicant or NotificationSpec.Clerk))
        {
            var field = form.FirstOrDefault(candidate => candidate.Key == to);
            if (field is null)
            {
                reader.Error(step, $"{prefix}unknown recipient '{to}'; use applicant, clerk or the key of a mobile field");
                return null;
            }

            if (field.Type != FieldType.Mobile)
            {
                reader.Error(step, $"{prefix}recipient field '{to}' is a {ConditionChecker.TypeName(field.Type)} field; a message can only go to a mobile field");
                return null;
            }
        }

        return to is null || message is null ? null : new NotificationSpec(to, message);
    }

    private static Sla? ReadSla(YamlReader reader, YamlMappingNode mapping, string? step, string prefix)
    {
        var text = reader.Scalar(mapping, "sla", step, prefix, required: false);
        if (text is null)
        {
            return null;
        }

        if (Sla.TryParse(text, out var sla, out var error))
        {
            return sla;
        }

        reader.Error(step, $"{prefix}bad sla: {error}");
        return null;
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldKey();
}
