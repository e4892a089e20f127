using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>
/// Reads the <c>units</c> section of departments.yaml: streets and towns, their communities and villages, and grids,
/// each naming its parent one tier up. A unit's code is an inbox, so it must not be a department's code too.
/// </summary>
internal static class TerritoryReader
{
    public const string Key = "units";

    public static readonly string[] UnitKeys = ["code", "role", "name", "parent"];

    public static Territory Read(YamlReader reader, YamlMappingNode root, IReadOnlyCollection<string> departmentCodes)
    {
        var entries = reader.Sequence(root, Key, null, "");
        var units = new List<TerritorialUnit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (reader.AsMapping(entries[i], null, $"unit #{i + 1}") is not { } entry)
            {
                continue;
            }

            var code = reader.Scalar(entry, "code", null, $"unit #{i + 1}: ", required: true);
            var label = code is null ? $"unit #{i + 1}: " : $"unit '{code}': ";
            reader.CheckKeys(entry, null, label, UnitKeys);
            var name = reader.Text(entry, "name", null, label, required: true);
            var roleName = reader.Scalar(entry, "role", null, label, required: true);
            var parent = reader.Scalar(entry, "parent", null, label, required: false);
            var role = Territory.ParseRole(roleName);
            if (roleName is not null && role is null)
            {
                reader.Error(null, $"{label}unknown role '{roleName}'; use street, community or grid");
            }

            if (code is null || name is null || role is null)
            {
                continue;
            }

            if (!DepartmentCatalogue.KebabCase().IsMatch(code))
            {
                reader.Error(null, $"{label}code must be lowercase kebab-case, e.g. yongjiang-waicao-01");
            }
            else if (departmentCodes.Contains(code))
            {
                reader.Error(null, $"{label}code is already a department's; an inbox code names one department or one unit");
            }
            else if (!seen.Add(code))
            {
                reader.Error(null, $"duplicate unit code '{code}'");
            }
            else
            {
                units.Add(new TerritorialUnit(code, role.Value, name, parent));
            }
        }

        CheckParents(reader, units);
        return new Territory(units);
    }

    /// <summary>A street has no parent (the district is implied); a community lies in a street, a grid in a community.</summary>
    private static void CheckParents(YamlReader reader, IReadOnlyList<TerritorialUnit> units)
    {
        var byCode = units.ToDictionary(unit => unit.Code, StringComparer.Ordinal);
        foreach (var unit in units)
        {
            var label = $"unit '{unit.Code}': ";
            if (unit.Role == TerritorialRole.Street)
            {
                if (unit.Parent is not null)
                {
                    reader.Error(null, $"{label}a street has no parent; remove 'parent'");
                }

                continue;
            }

            var expected = unit.Role - 1;
            if (unit.Parent is null)
            {
                reader.Error(null, $"{label}a {Territory.RoleName(unit.Role)} needs 'parent': the {Territory.RoleName(expected)} it lies in");
            }
            else if (!byCode.TryGetValue(unit.Parent, out var parent))
            {
                reader.Error(null, $"{label}parent names unknown unit '{unit.Parent}'");
            }
            else if (parent.Role != expected)
            {
                reader.Error(null,
                    $"{label}parent '{parent.Code}' is a {Territory.RoleName(parent.Role)}; a {Territory.RoleName(unit.Role)} lies in a {Territory.RoleName(expected)}");
            }
        }
    }
}
