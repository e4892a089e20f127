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
    /// <summary>Which part of the catalogue lists the matter: personal, enterprise or governance.</summary>
    public string Category { get; init; } = WorkflowCategories.Personal;

    /// <summary>Set when cases of this workflow are opened by reports from outside (sensors, residents, other systems).</summary>
    public IncidentSpec? Incident { get; init; }

    /// <summary>Who is told as a step's deadline is overrun, rising; empty means the service's default ladder.</summary>
    public IReadOnlyList<EscalationLevel> Escalation { get; init; } = [];

    /// <summary>Groups of steps that repeat, round by round, until a condition on their outcomes holds.</summary>
    public IReadOnlyList<LoopDefinition> Loops { get; init; } = [];

    /// <summary>The territorial units the definition was loaded with, so that the engine can route steps by place.</summary>
    public Territory Territory { get; init; } = Territory.Empty;

    /// <summary>Who may join a department's task to a running case (一键协同).</summary>
    public JoiningRule Joining { get; init; } = JoiningRule.SupervisorsOnly;

    public StepDefinition? FindStep(string stepId) => Steps.FirstOrDefault(step => step.Id == stepId);

    public LoopDefinition? LoopOf(string stepId) => Loops.FirstOrDefault(loop => loop.Steps.Contains(stepId, StringComparer.Ordinal));

    public FormField? FindField(string key) => Form.FirstOrDefault(field => field.Key == key);
}

/// <param name="Event">The event type that opens a case: <c>POST /api/events/{Event}</c>.</param>
/// <param name="PlaceField">The form field that says where it happened; reports of the same place are the same incident.</param>
/// <param name="MergeWindow">A report within this time of the open case's last report is attached to it instead of opening another.</param>
/// <param name="Share">Share of the step's deadline at which <paramref name="To"/> is told: 1.0 at the deadline, 1.5 half as long again.</param>
/// <param name="To">Who is told, as a role: department-head, supervisor, district-leader.</param>
public sealed record EscalationLevel(double Share, string To);

public sealed record IncidentSpec(string Event, string PlaceField, Sla MergeWindow)
{
    /// <summary>A field holding the spot's code (a camera point, a standard address); a report that carries it is matched by it, not by the text.</summary>
    public string? PlaceCodeField { get; init; }

    /// <summary>Set when the place names an entry of a register (a meter, an enrolled elder): the report names the place only.</summary>
    public IncidentRegister? Register { get; init; }
}
