using System.Text.RegularExpressions;

namespace OneThing.Engine;

public sealed partial class DepartmentCatalogue
{
    private readonly Dictionary<string, Department> byCode;

    private DepartmentCatalogue(IReadOnlyList<Department> departments, Territory territory, string source)
    {
        All = departments;
        Territory = territory;
        Source = source;
        byCode = departments.ToDictionary(department => department.Code, StringComparer.Ordinal);
    }

    /// <summary>In file order.</summary>
    public IReadOnlyList<Department> All { get; }

    /// <summary>The streets, communities and grids that steps routed by place send their tasks to.</summary>
    public Territory Territory { get; }

    /// <summary>The YAML text this catalogue was read from, kept with each stored workflow version.</summary>
    public string Source { get; }

    public static DepartmentCatalogue Parse(string yamlText, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        var reader = new YamlReader(fileName);
        var departments = new List<Department>();
        var territory = Territory.Empty;
        if (reader.LoadRoot(yamlText) is { } root)
        {
            reader.CheckKeys(root, null, "", "departments", TerritoryReader.Key);
            var entries = reader.Sequence(root, "departments", null, "");
            if (YamlReader.Get(root, "departments") is null)
            {
                reader.Error(null, "missing required key 'departments'");
            }
            else if (entries.Count == 0)
            {
                reader.Error(null, "'departments' must list at least one department");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < entries.Count; i++)
            {
                var label = $"department #{i + 1}: ";
                if (reader.AsMapping(entries[i], null, $"department #{i + 1}") is not { } entry)
                {
                    continue;
                }

                var code = reader.Scalar(entry, "code", null, label, required: true);
                if (code is not null)
                {
                    label = $"department '{code}': ";
                }

                reader.CheckKeys(entry, null, label, "code", "name");
                var name = reader.Text(entry, "name", null, label, required: true);
                if (code is null)
                {
                    continue;
                }

                if (!KebabCase().IsMatch(code))
                {
                    reader.Error(null, $"{label}code must be lowercase kebab-case, e.g. household-registration");
                }
                else if (!seen.Add(code))
                {
                    reader.Error(null, $"duplicate department code '{code}'");
                }
                else if (name is not null)
                {
                    departments.Add(new Department(code, name));
                }
            }

            territory = TerritoryReader.Read(reader, root, seen);
        }

        if (reader.Errors.Count > 0)
        {
            throw new WorkflowValidationException(reader.Errors);
        }

        return new DepartmentCatalogue(departments, territory, yamlText);
    }

    public bool Contains(string code) => byCode.ContainsKey(code);

    /// <summary>True for a department's code and for a territorial unit's: both have an inbox that tasks go to.</summary>
    public bool HasInbox(string code) => Contains(code) || Territory.Contains(code);

    /// <summary>A department, or a territorial unit seen as the inbox it is, so that task lists can name either.</summary>
    public Department? Find(string? code) =>
        code is null ? null : byCode.GetValueOrDefault(code) ?? (Territory.Find(code) is { } unit ? new Department(unit.Code, unit.Name) : null);

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    internal static partial Regex KebabCase();
}
