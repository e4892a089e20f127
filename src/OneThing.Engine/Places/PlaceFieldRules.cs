namespace OneThing.Engine;

/// <summary>A place field must name a unit of its role, or no inbox would receive the tasks routed by it.</summary>
public static class PlaceFieldRules
{
    public static IEnumerable<FieldError> Check(WorkflowDefinition definition, FormData form)
    {
        foreach (var field in definition.Form.Where(field => field.Place is not null))
        {
            if (!form.TryGet(field.Key, out var value) || value.ValueKind != System.Text.Json.JsonValueKind.String)
            {
                continue;
            }

            var role = field.Place!.Value;
            if (definition.Territory.Locate(value.GetString(), role) is null)
            {
                var label = Territory.RoleLabel(role);
                yield return new FieldError(field.Key,
                    $"没有编号为“{value.GetString()}”的{label.Zh}，请填写辖区内的{label.Zh}编号",
                    $"No {label.En} has the code '{value.GetString()}'; give the code of a {label.En} of the district");
            }
        }
    }

    /// <summary>The street or town the case lies in, from its first place field; null when the workflow has none.</summary>
    public static string? StreetOf(WorkflowDefinition definition, FormData form) =>
        definition.Form.FirstOrDefault(field => field.Place is not null) is { } field
        && form.TryGet(field.Key, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? definition.Territory.StreetOf(value.GetString())?.Code
            : null;
}
