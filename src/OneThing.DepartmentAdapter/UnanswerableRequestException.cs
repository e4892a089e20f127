namespace OneThing.DepartmentAdapter;

/// <summary>A request no retry can fix (no task id, or meant for another department): straight to the _error queue.</summary>
public sealed class UnanswerableRequestException(string message) : Exception(message);
