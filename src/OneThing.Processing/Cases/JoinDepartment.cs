using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Cases;

/// <param name="JoinerDepartment">A reviewer's department when they join as the lead department; null for a supervisor.</param>
public sealed record JoinDepartmentCommand(Guid CaseId, string Department, Sla Sla, string Reason, AuditActor Actor, Joiner By, string? JoinerDepartment);

/// <param name="Created">False when the department had already been joined: a retry, answered with the task it made.</param>
public sealed record JoinedDepartment(Guid TaskId, bool Created);

/// <summary>
/// 一键协同: a supervisor, or the lead department's reviewer where the workflow allows it, adds a department's task to
/// a running case with a reason and a deadline. A department joins a case once, so a retried request finds its task.
/// </summary>
public sealed class JoinDepartment(
    CaseCommands commands, WorkflowRegistry workflows, EngineEffects effects, CaseHistory history, AuditTrail audit, TimeProvider clock,
    ILogger<JoinDepartment> logger)
{
    public const int MaxReasonLength = 500;
    public const int MaxSlaWorkdays = 30;

    /// <summary>What a request must hold before the case is touched, by field (department, reason, sla); the API and the case page both ask.</summary>
    public static (Sla? Sla, IReadOnlyDictionary<string, string> Errors) Check(string? department, string? reason, string? slaText)
    {
        var errors = new Dictionary<string, string>();
        if (department is not { Length: > 0 and <= 64 })
        {
            errors["department"] = "department is required: the code of a department in departments.yaml, e.g. law-enforcement (协办部门必填).";
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength)
        {
            errors["reason"] = $"A reason (1 to {MaxReasonLength} characters) is required, e.g. 涉及占道经营，需城管协同 (协同理由必填).";
        }

        Sla? sla = null;
        if (slaText is not { Length: > 0 and <= 32 })
        {
            errors["sla"] = "sla is required: the joined department's deadline, e.g. 2 workdays (协办时限必填).";
        }
        else if (!Sla.TryParse(slaText, out sla, out var slaError))
        {
            errors["sla"] = $"{slaError} (协办时限格式有误).";
        }
        else if (sla.Unit is SlaUnit.WorkDays && sla.Amount > MaxSlaWorkdays)
        {
            errors["sla"] = $"sla is at most {MaxSlaWorkdays} workdays (协办时限过长).";
        }

        return (sla, errors);
    }

    public Task<CommandResult<JoinedDepartment>> HandleAsync(JoinDepartmentCommand command, CancellationToken cancellationToken)
    {
        if (!workflows.Departments.Contains(command.Department))
        {
            return Task.FromResult<CommandResult<JoinedDepartment>>(new Refusal.Invalid("department",
                $"There is no department '{command.Department}' in departments.yaml; see GET /api/departments (没有该部门).",
                "Invalid request to join a department"));
        }

        return commands.OnCaseAsync(command.CaseId, (unit, token) => JoinAsync(unit, command, token), cancellationToken);
    }

    private async Task<CommandResult<JoinedDepartment>> JoinAsync(CaseUnit unit, JoinDepartmentCommand command, CancellationToken cancellationToken)
    {
        var record = unit.Record;
        var result = CaseEngine.Apply(unit.Definition, unit.State, unit.Form,
            new DepartmentJoined(command.Department, command.Sla, command.Reason, command.Actor.Name, command.By, command.JoinerDepartment), clock.GetUtcNow());
        switch (result)
        {
            case AlreadyApplied:
                return CommandResult<JoinedDepartment>.Done(new JoinedDepartment(CaseEngine.FindJoined(unit.State, command.Department)!.TaskId, Created: false));
            case Refused { Reason: RefusalReason.NotAllowed } refused:
                unit.AuditEvenIfRefused(command.Actor, AuditActions.DepartmentJoinRefused, AuditTargets.Case, record.Id.ToString(),
                    $"{record.CaseNumber}: joining {command.Department} refused, not allowed by workflow {unit.Definition.Id}");
                return new Refusal.Forbidden(refused.Message);
            case Refused refused:
                return new Refusal.Conflict(refused.Message);
        }

        var applied = (Applied)result;
        var joined = applied.Effects.OfType<DepartmentJoinedCase>().Single();
        history.Add(record.Id, CaseEventTypes.DepartmentJoined, joined.StepId, joined.TaskId, command.Actor.Name,
            $"{command.Department} · {command.Sla}: {command.Reason}");
        audit.Add(command.Actor, AuditActions.DepartmentJoined, AuditTargets.Case, record.Id.ToString(),
            $"{record.CaseNumber}: {command.Department} joined beside step {joined.StepId}, {command.Sla}");
        await effects.ApplyAsync(unit, applied, cancellationToken);
        logger.LogInformation("Department {Department} joined to case {CaseId} beside step {StepId}", command.Department, record.Id, joined.StepId);
        return CommandResult<JoinedDepartment>.Done(new JoinedDepartment(joined.TaskId, Created: true));
    }
}
