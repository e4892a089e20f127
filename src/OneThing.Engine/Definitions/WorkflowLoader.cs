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

    private static readonly string[] RootKeys = ["id", "name", "description", "sla", "form", "steps"];
    private static readonly string[] FieldKeys = ["key", "label", "type", "required", "personal", "options"];
    private static readonly string[] StepKeys = ["id", "name", "department", "kind", "needs", "when", "sla", "sees"];

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

        if (id is null || name is null)
        {
            return null;
        }

        return new WorkflowDefinition(id, name, description, sla, form, steps);
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
            var department = reader.Scalar(entry, "department", step, "", required: true);
            var kindName = reader.Scalar(entry, "kind", step, "", required: false);
            var needs = reader.List(entry, "needs", step, "");
            var whenText = reader.Scalar(entry, "when", step, "", required: false);
            var sla = ReadSla(reader, entry, step, "");
            var sees = reader.List(entry, "sees", step, "");

            if (id is not null && !DepartmentCatalogue.KebabCase().IsMatch(id))
            {
                reader.Error(step, "step id must be lowercase kebab-case, e.g. real-estate");
            }

            if (department is not null && !departments.Contains(department))
            {
                reader.Error(step, $"unknown department '{department}'");
            }

            var kind = kindName switch
            {
                null or "review" => StepKind.Review,
                "automated" => StepKind.Automated,
                _ => (StepKind?)null,
            };
            if (kind is null)
            {
                reader.Error(step, $"unknown kind '{kindName}'; use review or automated");
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

            var when = ReadCondition(reader, step, whenText, form);

            if (id is null)
            {
                continue;
            }

            if (!ids.Add(id))
            {
                reader.Error(id, $"duplicate step id '{id}'");
                continue;
            }

            // A missing name or department has been reported, so Parse will throw; placeholders keep the needs checks below going.
            var definition = new StepDefinition(
                id,
                name ?? new LocalizedText(id, id),
                department ?? "",
                kind ?? StepKind.Review,
                needs.Distinct(StringComparer.Ordinal).ToList(),
                when,
                when is null ? null : whenText,
                sla,
                sees.Distinct(StringComparer.Ordinal).ToList());
            steps.Add(definition);
        }

        foreach (var step in steps)
        {
            foreach (var need in step.Needs.Where(need => !ids.Contains(need)))
            {
                reader.Error(step.Id, $"needs unknown step '{need}'");
            }
        }

        foreach (var cycle in NeedsGraph.FindCycles(steps))
        {
            reader.Error(cycle[0], $"needs form a cycle: {string.Join(" → ", cycle.Append(cycle[0]))} (each step needs the next)");
        }

        return steps;
    }

    private static Condition? ReadCondition(YamlReader reader, string step, string? whenText, IReadOnlyList<FormField> form)
    {
        if (whenText is null)
        {
            return null;
        }

        Condition condition;
        try
        {
            condition = ConditionParser.Parse(whenText);
        }
        catch (ConditionSyntaxException exception)
        {
            reader.Error(step, $"bad condition syntax in when '{whenText}': {exception.Message}");
            return null;
        }

        var problems = ConditionChecker.Check(condition, form);
        foreach (var problem in problems)
        {
            reader.Error(step, problem);
        }

        return problems.Count == 0 ? condition : null;
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
