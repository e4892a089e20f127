using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Workflows;

/// <param name="StepMapping">Old step id → step id of the target version; steps left out keep their id.</param>
public sealed record MigrationPlanRequest(string WorkflowId, int FromVersion, int ToVersion, IReadOnlyDictionary<string, string> StepMapping);

public sealed record CaseMigrationOutcome(Guid CaseId, string CaseNumber, bool CanMove, bool Moved, IReadOnlyList<string> Reasons);

public abstract record MigrationCommandResult
{
    public sealed record Done(IReadOnlyList<CaseMigrationOutcome> Cases) : MigrationCommandResult;
    public sealed record NotFound(string Message) : MigrationCommandResult;
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : MigrationCommandResult;
}

/// <summary>
/// Moves running cases to a newer version of their workflow: a dry run says which cases can move and why the others
/// cannot; applying moves each case in its own transaction with the case locked, so a case that changed since the dry
/// run is checked again and one that cannot move is left exactly as it was.
/// </summary>
public sealed class MigrateCases(
    CaseCommands commands,
    OneThingDbContext db,
    WorkflowRegistry workflows,
    EngineEffects effects,
    CaseHistory history,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<MigrateCases> logger)
{
    public const string AuditTarget = "workflow";

    public async Task<MigrationCommandResult> DryRunAsync(MigrationPlanRequest request, AuditActor admin, CancellationToken cancellationToken)
    {
        if (await CheckAsync(request, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var (from, to) = await DefinitionsAsync(request, cancellationToken);
        var cases = await RunningCases(request).AsNoTracking().ToListAsync(cancellationToken);
        var outcomes = cases
            .Select(record => Outcome(record, CaseMigration.Plan(from, to, CaseDocuments.ReadState(record), CaseDocuments.ReadForm(record),
                request.StepMapping, clock.GetUtcNow()), moved: false))
            .ToList();
        await audit.RecordAsync(admin, AuditActions.MigrationDryRun, AuditTarget, request.WorkflowId,
            $"version {request.FromVersion} -> {request.ToVersion}: {outcomes.Count(o => o.CanMove)} of {outcomes.Count} running cases can move",
            cancellationToken);
        return new MigrationCommandResult.Done(outcomes);
    }

    /// <param name="caseIds">The cases to move; null moves every running case of the old version that can move.</param>
    public async Task<MigrationCommandResult> ApplyAsync(MigrationPlanRequest request, IReadOnlyList<Guid>? caseIds, AuditActor admin,
        CancellationToken cancellationToken)
    {
        if (await CheckAsync(request, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        var (from, to) = await DefinitionsAsync(request, cancellationToken);
        var ids = caseIds ?? await RunningCases(request).Select(c => c.Id).ToListAsync(cancellationToken);
        var outcomes = new List<CaseMigrationOutcome>();
        foreach (var id in ids.Distinct())
        {
            outcomes.Add(await MoveAsync(request, from, to, id, admin, cancellationToken));
            db.ChangeTracker.Clear();
        }

        logger.LogInformation("Workflow {WorkflowId} version {From} -> {To}: {Moved} of {Asked} cases moved",
            request.WorkflowId, request.FromVersion, request.ToVersion, outcomes.Count(o => o.Moved), outcomes.Count);
        return new MigrationCommandResult.Done(outcomes);
    }

    private async Task<CaseMigrationOutcome> MoveAsync(MigrationPlanRequest request, WorkflowDefinition from, WorkflowDefinition to, Guid caseId,
        AuditActor admin, CancellationToken cancellationToken)
    {
        CaseMigrationOutcome? refused = null;
        var moved = await commands.OnCaseAsync(caseId, async (unit, token) =>
        {
            var outcome = await MoveAsync(unit, request, from, to, admin, token);
            refused = outcome.Moved ? null : outcome;
            return outcome.Moved ? CommandResult<CaseMigrationOutcome>.Done(outcome) : new Refusal.Conflict("not movable");
        }, cancellationToken);
        return moved.IsDone ? moved.Value! : refused ?? new CaseMigrationOutcome(caseId, "", false, false, [$"There is no case {caseId}."]);
    }

    private async Task<CaseMigrationOutcome> MoveAsync(CaseUnit unit, MigrationPlanRequest request, WorkflowDefinition from, WorkflowDefinition to,
        AuditActor admin, CancellationToken cancellationToken)
    {
        var record = unit.Record;
        if (record.WorkflowId != request.WorkflowId || record.WorkflowVersion != request.FromVersion)
        {
            return Outcome(record, new NotMovable(
                [$"The case runs on {record.WorkflowId} version {record.WorkflowVersion}, not {request.WorkflowId} version {request.FromVersion}."]), moved: false);
        }

        var plan = CaseMigration.Plan(from, to, unit.State, unit.Form, request.StepMapping, clock.GetUtcNow());
        if (plan is not Movable movable)
        {
            return Outcome(record, plan, moved: false);
        }

        foreach (var task in movable.MovedTasks)
        {
            await db.DepartmentTasks.Where(t => t.Id == task.TaskId)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.StepId, task.ToStep), cancellationToken);
        }

        record.WorkflowVersion = request.ToVersion;
        var renamed = movable.MovedTasks.Count == 0 ? "" : "; " + string.Join(", ", movable.MovedTasks.Select(t => $"task of {t.FromStep} now on {t.ToStep}"));
        history.Add(record.Id, CaseEventTypes.CaseMigrated, actor: admin.Name,
            detail: $"moved from version {request.FromVersion} to version {request.ToVersion}{renamed}");
        // The effects belong to the target version: deadlines and notifications are planned on its steps.
        await effects.ApplyAsync(new CaseUnit(record, to, unit.Form), movable.Applied, cancellationToken);
        audit.Add(admin, AuditActions.CaseMigrated, AuditTargets.Case, record.Id.ToString(),
            $"{record.CaseNumber}: {request.WorkflowId} version {request.FromVersion} -> {request.ToVersion}");
        return Outcome(record, plan, moved: true);
    }

    private async Task<MigrationCommandResult?> CheckAsync(MigrationPlanRequest request, CancellationToken cancellationToken)
    {
        var versions = await db.WorkflowVersions.AsNoTracking()
            .Where(v => v.WorkflowId == request.WorkflowId)
            .Select(v => v.Version)
            .ToListAsync(cancellationToken);
        if (versions.Count == 0)
        {
            return new MigrationCommandResult.NotFound($"There is no workflow '{request.WorkflowId}'. See GET /api/workflows.");
        }

        var errors = new Dictionary<string, string[]>();
        if (!versions.Contains(request.FromVersion))
        {
            errors["fromVersion"] = [$"{request.WorkflowId} has no version {request.FromVersion}; its versions are {string.Join(", ", versions.Order())}."];
        }

        if (!versions.Contains(request.ToVersion) || request.ToVersion <= request.FromVersion)
        {
            errors["toVersion"] = [$"toVersion is a stored version newer than fromVersion (versions: {string.Join(", ", versions.Order())}); 只能迁移到更新的版本."];
        }

        if (errors.Count > 0)
        {
            return new MigrationCommandResult.Invalid(errors);
        }

        var (from, to) = await DefinitionsAsync(request, cancellationToken);
        foreach (var (oldStep, newStep) in request.StepMapping)
        {
            if (from.FindStep(oldStep) is null)
            {
                errors[$"stepMapping.{oldStep}"] = [$"Version {request.FromVersion} has no step '{oldStep}'."];
            }
            else if (to.FindStep(newStep) is null)
            {
                errors[$"stepMapping.{oldStep}"] = [$"Step '{oldStep}' is mapped to '{newStep}', a step version {request.ToVersion} does not have (目标版本无此环节)."];
            }
        }

        foreach (var shared in request.StepMapping.GroupBy(pair => pair.Value).Where(group => group.Count() > 1))
        {
            errors["stepMapping"] = [$"Steps {string.Join(", ", shared.Select(pair => pair.Key))} are all mapped to '{shared.Key}'; a target step takes one old step."];
        }

        return errors.Count > 0 ? new MigrationCommandResult.Invalid(errors) : null;
    }

    private async Task<(WorkflowDefinition From, WorkflowDefinition To)> DefinitionsAsync(MigrationPlanRequest request, CancellationToken cancellationToken) =>
        (await workflows.GetAsync(db, request.WorkflowId, request.FromVersion, cancellationToken),
            await workflows.GetAsync(db, request.WorkflowId, request.ToVersion, cancellationToken));

    private IQueryable<CaseRecord> RunningCases(MigrationPlanRequest request) =>
        db.Cases
            .Where(c => c.WorkflowId == request.WorkflowId && c.WorkflowVersion == request.FromVersion && c.EndedAt == null)
            .OrderBy(c => c.FiledAt).ThenBy(c => c.Id);

    private static CaseMigrationOutcome Outcome(CaseRecord record, MigrationResult plan, bool moved) => plan switch
    {
        NotMovable refused => new CaseMigrationOutcome(record.Id, record.CaseNumber, false, false, refused.Reasons),
        _ => new CaseMigrationOutcome(record.Id, record.CaseNumber, true, moved, []),
    };
}
