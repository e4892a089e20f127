namespace OneThing.Engine;

public enum Decision { Approve, Reject }

public abstract record CaseEvent;

/// <param name="Actor">Who decided: a reviewer's user id, or a department system's name; null when unknown.</param>
public sealed record StepDecided(string StepId, Guid TaskId, Decision Decision, string? Comment, string? Actor) : CaseEvent;
