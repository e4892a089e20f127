namespace OneThing.Contracts;

public sealed record CaseCompleted(
    Guid CaseId,
    string CaseNumber,
    string WorkflowId,
    string Outcome,
    DateTimeOffset EndedAt);
