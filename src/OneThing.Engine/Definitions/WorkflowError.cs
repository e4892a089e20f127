namespace OneThing.Engine;

public sealed record WorkflowError(string File, string? Step, string Message)
{
    public override string ToString() =>
        Step is null ? $"{File}: {Message}" : $"{File}: step '{Step}': {Message}";
}
