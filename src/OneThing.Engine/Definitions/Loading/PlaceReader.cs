using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>
/// Reads routing by place: <c>place: grid</c> on a form field (its value is the code of a grid, or a street or a
/// community) and <c>place: { role, field }</c> on a step (its task goes to that unit's inbox), and checks them
/// against the territorial units of departments.yaml.
/// </summary>
internal static class PlaceReader
{
    public const string Key = "place";

    internal static readonly string[] RouteKeys = ["role", "field"];

    public static IReadOnlyList<FormField> ReadFields(YamlReader reader, YamlMappingNode root, IReadOnlyList<FormField> form, Territory territory)
    {
        var roles = new Dictionary<string, TerritorialRole>(StringComparer.Ordinal);
        foreach (var entry in reader.Sequence(root, "form", null, "").OfType<YamlMappingNode>())
        {
            if (Scalar(entry, "key") is not { } key || form.FirstOrDefault(field => field.Key == key) is not { } field
                || reader.Scalar(entry, Key, null, $"field '{key}': ", required: false) is not { } roleName)
            {
                continue;
            }

            var prefix = $"field '{key}': ";
            if (Territory.ParseRole(roleName) is not { } role)
            {
                reader.Error(null, $"{prefix}unknown place '{roleName}'; use street, community or grid");
                continue;
            }

            if (field.Type is not (FieldType.Text or FieldType.Choice))
            {
                reader.Error(null, $"{prefix}a place field must be a text field (a typed code) or a choice field (a list of units)");
                continue;
            }

            foreach (var option in field.Options.Where(option => territory.Find(option)?.Role != role))
            {
                reader.Error(null, $"{prefix}option '{option}' is not a {Territory.RoleName(role)} in departments.yaml");
            }

            roles[key] = role;
        }

        return form.Select(field => roles.TryGetValue(field.Key, out var role) ? field with { Place = role } : field).ToList();
    }

    public static IReadOnlyList<StepDefinition> ReadSteps(YamlReader reader, YamlMappingNode root, IReadOnlyList<StepDefinition> steps, IReadOnlyList<FormField> form)
    {
        var routes = new Dictionary<string, PlaceRoute>(StringComparer.Ordinal);
        foreach (var entry in reader.Sequence(root, "steps", null, "").OfType<YamlMappingNode>())
        {
            if (Scalar(entry, "id") is not { } id || YamlReader.Get(entry, Key) is not { } node
                || steps.FirstOrDefault(step => step.Id == id) is not { } step || routes.ContainsKey(id))
            {
                continue;
            }

            if (ReadRoute(reader, node, step, entry, form) is { } route)
            {
                routes[id] = route;
            }
        }

        return steps.Select(step => routes.TryGetValue(step.Id, out var route) ? step with { Place = route, Department = null } : step).ToList();
    }

    /// <summary><c>place.cases90d</c> counts the cases of an incident's place, so only a workflow opened by incidents has one.</summary>
    public static void CheckPlaceConditions(YamlReader reader, IReadOnlyList<StepDefinition> steps, IncidentSpec? incident)
    {
        if (incident is not null)
        {
            return;
        }

        foreach (var step in steps.Where(step => step.When is not null && ConditionNames.Of(step.When).Contains(ConditionScope.PlaceCasesName)))
        {
            reader.Error(step.Id, $"when uses {ConditionScope.PlaceCasesName}, which counts the cases of an incident's place; this workflow has no incident section");
        }
    }

    private static PlaceRoute? ReadRoute(YamlReader reader, YamlNode node, StepDefinition step, YamlMappingNode entry, IReadOnlyList<FormField> form)
    {
        const string prefix = "place: ";
        if (reader.AsMapping(node, step.Id, "place") is not { } mapping)
        {
            return null;
        }

        reader.CheckKeys(mapping, step.Id, prefix, RouteKeys);
        var roleName = reader.Scalar(mapping, "role", step.Id, prefix, required: true);
        var fieldKey = reader.Scalar(mapping, "field", step.Id, prefix, required: true);
        var role = Territory.ParseRole(roleName);
        if (roleName is not null && role is null)
        {
            reader.Error(step.Id, $"{prefix}unknown territorial role '{roleName}'; use street, community or grid");
        }

        if (YamlReader.Get(entry, "department") is not null)
        {
            reader.Error(step.Id, "a step goes to a department or to a place, not both; remove 'department' or 'place'");
        }

        if (step.Kind != StepKind.Review)
        {
            reader.Error(step.Id, "only review steps can be routed by place: a territorial unit's reviewers decide, it has no department system");
        }

        var field = fieldKey is null ? null : form.FirstOrDefault(candidate => candidate.Key == fieldKey);
        if (fieldKey is not null && field is null)
        {
            reader.Error(step.Id, $"{prefix}field names unknown field '{fieldKey}'");
        }
        else if (field is not null && field.Place is null)
        {
            reader.Error(step.Id, $"{prefix}field '{field.Key}' does not name a place; give it place: grid (or community, street)");
        }
        else if (field is not null && role is not null && field.Place < role)
        {
            reader.Error(step.Id,
                $"{prefix}field '{field.Key}' names a {Territory.RoleName(field.Place!.Value)}, which lies in no single {roleName}; route to the {Territory.RoleName(field.Place.Value)} or coarser");
        }
        else if (field is { Required: false })
        {
            reader.Error(step.Id, $"{prefix}field '{field.Key}' must be required: a task routed by place needs the place");
        }

        return role is null || field?.Place is null ? null : new PlaceRoute(role.Value, field.Key);
    }

    private static string? Scalar(YamlMappingNode entry, string key) => (YamlReader.Get(entry, key) as YamlScalarNode)?.Value;
}
