using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>Reads the <c>joining</c> section: who may add a department's task to a running case, and which department leads.</summary>
internal static class JoiningReader
{
    public const string Supervisor = "supervisor";
    public const string LeadDepartment = "lead-department";

    public static JoiningRule Read(YamlReader reader, YamlMappingNode root, IReadOnlyList<StepDefinition> steps, DepartmentCatalogue departments)
    {
        if (YamlReader.Get(root, "joining") is not { } node)
        {
            return JoiningRule.SupervisorsOnly;
        }

        if (reader.AsMapping(node, null, "joining") is not { } mapping)
        {
            return JoiningRule.SupervisorsOnly;
        }

        const string prefix = "joining: ";
        reader.CheckKeys(mapping, null, prefix, "by", "lead");
        var by = new List<Joiner>();
        foreach (var name in reader.List(mapping, "by", null, prefix))
        {
            switch (name)
            {
                case Supervisor when !by.Contains(Joiner.Supervisor):
                    by.Add(Joiner.Supervisor);
                    break;
                case LeadDepartment when !by.Contains(Joiner.LeadDepartment):
                    by.Add(Joiner.LeadDepartment);
                    break;
                case Supervisor or LeadDepartment:
                    reader.Error(null, $"{prefix}by lists '{name}' twice");
                    break;
                default:
                    reader.Error(null, $"{prefix}by '{name}' is not known; use {Supervisor} and/or {LeadDepartment}");
                    break;
            }
        }

        if (by.Count == 0)
        {
            reader.Error(null, $"{prefix}by must list who may join a department, e.g. by: [{Supervisor}, {LeadDepartment}]");
        }

        var lead = reader.Scalar(mapping, "lead", null, prefix, required: false);
        var leadDepartment = lead is null ? null : ResolveLead(reader, lead, steps, departments, prefix);
        if (by.Contains(Joiner.LeadDepartment) && lead is null)
        {
            reader.Error(null, $"{prefix}by allows the {LeadDepartment}, so lead must name a step or a department, e.g. lead: intake");
        }
        else if (lead is not null && !by.Contains(Joiner.LeadDepartment))
        {
            reader.Error(null, $"{prefix}lead '{lead}' is set but by does not allow the {LeadDepartment}");
        }

        return new JoiningRule(by, leadDepartment);
    }

    /// <summary>A step's id names the department that handles it; otherwise the lead is a department of departments.yaml.</summary>
    private static string? ResolveLead(YamlReader reader, string lead, IReadOnlyList<StepDefinition> steps, DepartmentCatalogue departments, string prefix)
    {
        if (steps.FirstOrDefault(step => step.Id == lead) is { } step)
        {
            if (step.Department is null)
            {
                reader.Error(lead, $"{prefix}lead step '{lead}' has no department of its own (a {step.Kind.ToString().ToLowerInvariant()} step, or routed by place); name a step a department handles, or a department");
            }

            return step.Department;
        }

        if (!departments.Contains(lead))
        {
            reader.Error(null, $"{prefix}lead '{lead}' is neither a step of this workflow nor a department in {WorkflowLoader.DepartmentsFileName}");
            return null;
        }

        return lead;
    }
}
