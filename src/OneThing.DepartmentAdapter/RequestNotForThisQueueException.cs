namespace OneThing.DepartmentAdapter;

/// <summary>A request that no retry can fix (wrong queue, no task id): it goes straight to the _error queue.</summary>
public sealed class RequestNotForThisQueueException(string message) : Exception(message);
