using System.Security.Claims;
using System.Text.Json;
using OneThing.Api.Accounts;
using OneThing.Processing.Accounts;
using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Cases;

/// <summary>Cases as the API and the pages read them, with the services every read needs in one place.</summary>
internal sealed class CaseQueries(OneThingDbContext db, WorkflowRegistry workflows, SlaClock slaClock, TimeProvider clock, AuditTrail audit)
{
    /// <summary>
    /// The case as <paramref name="viewer"/> may see it: the form in full for the clerk who filed it and for supervisors,
    /// with personal fields masked for everyone else.
    /// </summary>
    public async Task<CaseResponse?> GetCaseAsync(Guid id, ClaimsPrincipal viewer, CancellationToken cancellationToken)
    {
        var record = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
        var tasks = await db.DepartmentTasks.AsNoTracking()
            .Where(t => t.CaseId == id)
            .ToDictionaryAsync(t => t.Id, cancellationToken);
        var history = await db.CaseEvents.AsNoTracking()
            .Where(e => e.CaseId == id)
            .OrderBy(e => e.Id)
            .Select(e => new CaseHistoryEntry(e.OccurredAt, e.Type, e.StepId, e.TaskId, e.Actor, e.Detail))
            .ToListAsync(cancellationToken);
        var notifications = await db.Notifications.AsNoTracking()
            .Where(n => n.CaseId == id)
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id)
            .ToListAsync(cancellationToken);
        return Shape(new CaseRows(record, definition, CaseDocuments.ReadState(record), CaseDocuments.ReadForm(record), tasks, history, notifications),
            viewer);
    }

    /// <summary>
    /// The case a command has just written, from the rows it wrote (still tracked by the request's DbContext, which the
    /// command shares with this query): no read-back.
    /// </summary>
    public CaseResponse Written(CaseUnit unit, ClaimsPrincipal viewer)
    {
        var id = unit.Id;
        // The rows were just saved and nothing changed since: each Local would scan every tracked entity for changes again.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var tasks = db.DepartmentTasks.Local.Where(t => t.CaseId == id).ToDictionary(t => t.Id);
            var history = db.CaseEvents.Local.Where(e => e.CaseId == id).OrderBy(e => e.Id)
                .Select(e => new CaseHistoryEntry(e.OccurredAt, e.Type, e.StepId, e.TaskId, e.Actor, e.Detail))
                .ToList();
            var notifications = db.Notifications.Local.Where(n => n.CaseId == id).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).ToList();
            return Shape(new CaseRows(unit.Record, unit.Definition, unit.State, unit.Form, tasks, history, notifications), viewer);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    private sealed record CaseRows(CaseRecord Record, WorkflowDefinition Definition, CaseState State, FormData Form,
        Dictionary<Guid, DepartmentTask> Tasks, List<CaseHistoryEntry> History, List<NotificationRecord> Notifications);

    private CaseResponse Shape(CaseRows rows, ClaimsPrincipal viewer)
    {
        var (record, definition, state, form, tasks, history, notifications) = rows;
        var now = clock.GetUtcNow();
        // A reviewer's comments and reasons are written for the case's own people, not for the other departments on it.
        var reviewersDepartment = viewer.IsInRole(Roles.Reviewer) ? viewer.Department() ?? "" : null;
        bool OtherDepartments(string? stepId) =>
            reviewersDepartment is not null && stepId is not null && Inbox(definition, state, stepId) != reviewersDepartment;
        history = history.Select(entry => OtherDepartments(entry.StepId) ? entry with { Detail = null } : entry).ToList();

        var steps = state.Steps.Select(step =>
        {
            var stepDefinition = definition.FindStep(step.StepId)!;
            var task = step.TaskId is { } taskId ? tasks.GetValueOrDefault(taskId) : null;
            return new CaseStepResponse(
                step.StepId,
                stepDefinition.Name,
                Inbox(definition, state, step.StepId),
                workflows.Departments.Find(Inbox(definition, state, step.StepId))?.Name,
                StoredNames.Of(stepDefinition.Kind),
                StoredNames.Of(step.Status),
                step.TaskId,
                task is null ? null : TaskStateNames.Of(task.State),
                task?.Assignee,
                OtherDepartments(step.StepId) ? null : task?.Comment,
                task?.DispatchAttempts ?? 0,
                step.ActivatedAt,
                task?.AcknowledgedAt,
                step.EndedAt,
                task is null ? DeadlineResponse.From(null, slaClock.View(now, null, null, TimeSpan.Zero, null, null, now)) : TaskDeadline(slaClock, task, now))
            {
                Outcome = step.Outcome,
                AwaitingSupplement = step.AwaitsSupplement,
                // The engine notes a breach in the state only for a step with on_breach actions; the task records every one.
                BreachedAt = step.BreachedAt ?? task?.BreachedAt,
                Round = step.Round,
                Chosen = step.Chosen.Select(chosen => tasks.GetValueOrDefault(chosen.TaskId) is { } chosenTask
                    ? new ChosenTaskResponse(chosen.Department, workflows.Departments.Find(chosen.Department)?.Name, chosen.TaskId, TaskStateNames.Of(chosenTask.State),
                        chosen.Outcome, TaskDeadline(slaClock, chosenTask, now)) { JoinedReason = chosen.JoinedReason }
                    : null).OfType<ChosenTaskResponse>().ToList(),
            };
        }).ToList();

        var inFull = MayReadInFull(viewer, record);
        return new CaseResponse(record.Id, record.CaseNumber, record.WorkflowId, record.WorkflowVersion, definition.Name,
            record.Status, record.FiledAt, record.FiledBy, record.EndedAt,
            inFull ? form.ToJson() : FormMasking.Mask(definition, form).ToJson(),
            FormMasked: !inFull,
            FormHasPersonalData: definition.Form.Any(f => f.Personal && form.TryGet(f.Key, out _)),
            DeadlineResponse.From(record.Sla, slaClock.View(record.FiledAt, record.DueAt, record.Sla,
                TimeSpan.FromSeconds(record.PausedSeconds), record.PausedAt, record.EndedAt, now)),
            steps, history)
        {
            Incident = record.IncidentEvent is null ? null
                : new IncidentResponse(record.IncidentEvent, record.IncidentPlace!, record.ReportCount, record.LastReportedAt) { PlaceCases90d = state.PlaceCases },
            AwaitingSupplement = state.Steps.Any(step => step.AwaitsSupplement),
            Notifications = notifications
                .Select(n => new NotificationResponse(n.StepId, n.Recipient, n.Address is null ? null : PersonalDataMask.Mobile(n.Address),
                    new LocalizedText(n.MessageZh, n.MessageEn), n.CreatedAt, n.DeliveredAt,
                    n.DeliveredAt is not null ? "delivered" : n.FailedAt is not null ? "failed" : "pending", n.Attempts, n.FailedAt)
                {
                    Channel = n.Channel,
                    LastError = n.LastError,
                })
                .ToList(),
        };
    }

    /// <summary>The case as <paramref name="viewer"/> may see it, for the API and the web UI; a read of the form in full is audited.</summary>
    public async Task<CaseResponse?> ReadAuditedAsync(Guid id, ClaimsPrincipal viewer, AuditActor actor, CancellationToken cancellationToken)
    {
        var found = await GetCaseAsync(id, viewer, cancellationToken);
        if (found is { FormMasked: false, FormHasPersonalData: true })
        {
            await audit.RecordAsync(actor, AuditActions.PersonalDataRead, AuditTargets.Case, id.ToString(), found.CaseNumber, cancellationToken);
        }

        return found;
    }

    /// <summary>As <see cref="ReadAuditedAsync(Guid, ClaimsPrincipal, AuditActor, CancellationToken)"/>, for whoever sent the request.</summary>
    public Task<CaseResponse?> ReadAuditedAsync(Guid id, HttpContext http, CancellationToken cancellationToken) =>
        ReadAuditedAsync(id, http.User, http.AuditActor(), cancellationToken);

    private static bool MayReadInFull(ClaimsPrincipal viewer, CaseRecord record) =>
        viewer.IsInRole(Roles.Supervisor) || (viewer.IsInRole(Roles.Clerk) && record.FiledBy is not null && record.FiledBy == viewer.UserName());

    public static DeadlineResponse TaskDeadline(SlaClock slaClock, DepartmentTask task, DateTimeOffset now) =>
        DeadlineResponse.From(task.Sla, slaClock.View(task.CreatedAt, task.DueAt, task.Sla, TimeSpan.FromSeconds(task.PausedSeconds),
            task.PausedAt, task.EndedAt, now));

    public async Task<CasePage> ListCasesAsync(string? status, string? workflowId, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = db.Cases.AsNoTracking();
        if (!string.IsNullOrEmpty(status))
        {
            query = query.Where(c => c.Status == status);
        }

        if (!string.IsNullOrEmpty(workflowId))
        {
            query = query.Where(c => c.WorkflowId == workflowId);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(c => c.FiledAt).ThenBy(c => c.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new CaseSummary(c.Id, c.CaseNumber, c.WorkflowId, c.WorkflowVersion, c.Status, c.FiledAt, c.EndedAt))
            .ToListAsync(cancellationToken);
        return new CasePage(items, page, pageSize, total);
    }

    /// <summary>The newest cases with each step's state, for the clerk's "my cases" list; only those <paramref name="filedBy"/> filed when given.</summary>
    public async Task<IReadOnlyList<CaseProgress>> ListProgressAsync(string? filedBy, int count, CancellationToken cancellationToken)
    {
        var records = await db.Cases.AsNoTracking()
            .Where(c => filedBy == null || c.FiledBy == filedBy)
            .OrderByDescending(c => c.FiledAt).ThenBy(c => c.Id)
            .Take(count)
            .ToListAsync(cancellationToken);
        var progress = new List<CaseProgress>(records.Count);
        foreach (var record in records)
        {
            var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
            var steps = CaseDocuments.ReadState(record).Steps.Select(step =>
            {
                var stepDefinition = definition.FindStep(step.StepId)!;
                return new StepProgress(step.StepId, stepDefinition.Name, step.Unit ?? stepDefinition.Department,
                    workflows.Departments.Find(step.Unit ?? stepDefinition.Department)?.Name,
                    StoredNames.Of(step.Status), step.AwaitsSupplement);
            }).ToList();
            progress.Add(new CaseProgress(record.Id, record.CaseNumber, record.WorkflowId, definition.Name, record.Status, record.FiledAt,
                record.EndedAt, steps));
        }

        return progress;
    }

    /// <summary>The inbox a step's task went to: its department, or for a step routed by place the unit found for this case.</summary>
    private static string? Inbox(WorkflowDefinition definition, CaseState state, string stepId) =>
        state.FindStep(stepId)?.Unit ?? definition.FindStep(stepId)?.Department;

    public static readonly IReadOnlyList<string> Statuses =
        Enum.GetValues<CaseStatus>().Select(s => StoredNames.Of(s)).ToList();
}
