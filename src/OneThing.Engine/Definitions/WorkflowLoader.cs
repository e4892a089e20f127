using System.Security.Cryptography;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>
/// Turns workflow YAML into a checked <see cref="WorkflowDefinition"/>. Every problem in a file is reported at once,
/// each naming the file, the step when there is one, and what is wrong.
/// </summary>
public static class WorkflowLoader
{
    public const string DepartmentsFileName = "departments.yaml";

    internal static readonly string[] RootKeys = ["id", "name", "category", "description", "sla", "escalation", "incident", "form", "steps", "loops"];
    internal static readonly string[] FieldKeys = FormReader.Keys;
    internal static readonly string[] StepKeys = StepReader.Keys;
    internal static readonly string[] LoopKeys = LoopReader.Keys;
    internal static readonly string[] VerificationKeys = StepPartsReader.VerificationKeys;

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
        // Optional for the loader so that small test definitions need not name one; the schema requires it of shipped files.
        var category = reader.Scalar(root, "category", null, "", required: false);
        if (category is not null && !WorkflowCategories.All.Contains(category, StringComparer.Ordinal))
        {
            reader.Error(null, $"category '{category}' must be one of {string.Join(", ", WorkflowCategories.All)}");
        }

        var description = reader.Text(root, "description", null, "", required: false);
        var sla = StepPartsReader.ReadSla(reader, root, null, "");
        var form = PlaceReader.ReadFields(reader, root, FormReader.Read(reader, root), departments.Territory);
        var steps = PlaceReader.ReadSteps(reader, root, StepReader.Read(reader, root, departments, form), form);
        var incident = IncidentReader.Read(reader, root, form);
        PlaceReader.CheckPlaceConditions(reader, steps, incident);
        var escalation = EscalationReader.Read(reader, root);
        var loops = LoopReader.Read(reader, root, steps, form, NeedsGraph.FindCycles(steps).Count == 0);

        if (id is null || name is null)
        {
            return null;
        }

        return new WorkflowDefinition(id, name, description, sla, form, steps)
        {
            Category = category ?? WorkflowCategories.Personal, Incident = incident, Escalation = escalation, Loops = loops, Territory = departments.Territory,
        };
    }
}
