using System.Collections.Concurrent;

namespace OneThing.DepartmentAdapter;

public enum DepartmentAnswer
{
    Completed,
    Rejected,
}

/// <summary>What the department's system did for one task, kept so that a repeated request gets the same answer.</summary>
/// <param name="ReasonCode">Why it refused (a code, never words: those stay in the department's own system); null when it completed.</param>
public sealed record DepartmentRecord(
    Guid TaskId,
    Guid CaseId,
    string StepId,
    string Department,
    DepartmentAnswer Answer,
    string? ReasonCode,
    DateTimeOffset AcknowledgedAt,
    DateTimeOffset AnsweredAt);

/// <summary>
/// The fake department's own records, keyed by task id. A real department keeps these in its database; here they
/// live as long as the process, which is enough: after a restart a repeated request is simply done again, and the
/// engine ignores an answer for a task it has already closed.
/// </summary>
public sealed class DepartmentRecords
{
    private readonly ConcurrentDictionary<Guid, DepartmentRecord> _done = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _cancelled = new();

    public bool TryGetDone(Guid taskId, out DepartmentRecord record) => _done.TryGetValue(taskId, out record!);

    /// <summary>Stores the record unless one was stored meanwhile; either way returns the one that counts.</summary>
    public DepartmentRecord Keep(DepartmentRecord record) => _done.GetOrAdd(record.TaskId, record);

    public void MarkCancelled(Guid taskId, DateTimeOffset at) => _cancelled.TryAdd(taskId, at);

    public bool IsCancelled(Guid taskId) => _cancelled.ContainsKey(taskId);
}
