namespace OneThing.Bench.Infrastructure.Processes;

/// <summary>A failure while OneThing processes ran, with their log paths and last lines in the message.</summary>
public sealed class ProcessFailureException(string message, Exception inner) : Exception(message, inner);
