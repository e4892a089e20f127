namespace OneThing.Engine;

public sealed class WorkflowValidationException : Exception
{
    public WorkflowValidationException(IReadOnlyList<WorkflowError> errors)
        : base(string.Join("\n", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<WorkflowError> Errors { get; }
}
