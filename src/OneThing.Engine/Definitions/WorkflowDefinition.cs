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
    public StepDefinition? FindStep(string stepId) => Steps.FirstOrDefault(step => step.Id == stepId);

    public FormField? FindField(string key) => Form.FirstOrDefault(field => field.Key == key);
}
