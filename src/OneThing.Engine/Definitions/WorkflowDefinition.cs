namespace OneThing.Engine;

/// <param name="Steps">In definition order, which is also the order of a case's steps and of effects.</param>
public sealed record WorkflowDefinition(
    string Id,
    LocalizedText Name,
    LocalizedText? Description,
    Sla? Sla,
    IReadOnlyList<FormField> Form,
    IReadOnlyList<StepDefinition> Steps)
{
    /// <summary>Set when cases of this workflow are opened by reports from outside (sensors, residents, other systems).</summary>
    public IncidentSpec? Incident { get; init; }

    public StepDefinition? FindStep(string stepId) => Steps.FirstOrDefault(step => step.Id == stepId);

    public FormField? FindField(string key) => Form.FirstOrDefault(field => field.Key == key);
}

/// <param name="Event">The event type that opens a case: <c>POST /api/events/{Event}</c>.</param>
/// <param name="PlaceField">The form field that says where it happened; reports of the same place are the same incident.</param>
/// <param name="MergeWindow">A report within this time of the open case's last report is attached to it instead of opening another.</param>
public sealed record IncidentSpec(string Event, string PlaceField, Sla MergeWindow);
