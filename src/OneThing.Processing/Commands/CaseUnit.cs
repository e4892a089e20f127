using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Commands;

/// <summary>
/// The case a command works on, locked for it, with its workflow version; its state and form are parsed at most once
/// and follow what the command writes, so nothing is read back.
/// </summary>
public sealed class CaseUnit
{
    private CaseState? _state;
    private FormData? _form;
    private readonly List<Action<AuditTrail>> _refusalAudits = [];

    public CaseUnit(CaseRecord record, WorkflowDefinition definition, FormData? form = null)
    {
        Record = record;
        Definition = definition;
        _form = form;
    }

    public CaseRecord Record { get; }

    public WorkflowDefinition Definition { get; }

    public Guid Id => Record.Id;

    /// <summary>For a command on a task: the task's open timers, read with it under the case lock.</summary>
    public OpenTaskTimers? TaskTimers { get; init; }

    public CaseState State => _state ??= CaseDocuments.ReadState(Record);

    public FormData Form => _form ??= CaseDocuments.ReadForm(Record);

    public void ChangeForm(FormData form)
    {
        _form = form;
        Record.Form = form.ToJsonText();
    }

    internal void Wrote(CaseState state)
    {
        _state = state;
        Record.State = CaseDocuments.WriteState(state);
        Record.Status = StoredNames.Of(state.Status);
        Record.EndedAt = state.EndedAt;
    }

    /// <summary>An audit row that is written even though the command is refused (a refused change to someone else's case).</summary>
    public void AuditEvenIfRefused(AuditActor actor, string action, string targetType, string targetId, string detail) =>
        _refusalAudits.Add(audit => audit.Add(actor, action, targetType, targetId, detail));

    internal bool AddRefusalAudits(AuditTrail audit)
    {
        _refusalAudits.ForEach(add => add(audit));
        return _refusalAudits.Count > 0;
    }
}

/// <summary>
/// Every open timer of a task, read under its case's lock: timers are only added or fired under that lock, so no other
/// open timer of the task exists while the command runs, except those it adds itself.
/// </summary>
public sealed record OpenTaskTimers(Guid TaskId, IReadOnlyList<DeadlineTimer> Open);
