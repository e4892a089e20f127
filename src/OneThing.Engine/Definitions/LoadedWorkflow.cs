namespace OneThing.Engine;

/// <param name="ContentHash">Lowercase hex SHA-256 of <paramref name="SourceText"/> with CRLF normalised to LF,
/// so the same definition checked out on Windows and Linux is recognised as the same version.</param>
public sealed record LoadedWorkflow(WorkflowDefinition Definition, string SourceText, string ContentHash, string FileName);
