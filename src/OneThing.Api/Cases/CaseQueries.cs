using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing;
using OneThing.Processing.Cases;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Cases;

internal static class CaseQueries
{
    public static async Task<CaseResponse?> GetCaseAsync(OneThingDbContext db, WorkflowRegistry workflows, SlaClock slaClock, TimeProvider clock, Guid id,
        CancellationToken cancellationToken)
    {
        var record = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
        var state = CaseWriter.ReadState(record);
        var now = clock.GetUtcNow();
        var tasks = await db.DepartmentTasks.AsNoTracking()
            .Where(t => t.CaseId == id)
            .ToDictionaryAsync(t => t.StepId, cancellationToken);
        var history = await db.CaseEvents.AsNoTracking()
            .Where(e => e.CaseId == id)
            .OrderBy(e => e.Id)
            .Select(e => new CaseHistoryEntry(e.OccurredAt, e.Type, e.StepId, e.TaskId, e.Actor, e.Detail))
            .ToListAsync(cancellationToken);

        var steps = state.Steps.Select(step =>
        {
            var stepDefinition = definition.FindStep(step.StepId)!;
            var task = tasks.GetValueOrDefault(step.StepId);
            return new CaseStepResponse(
                step.StepId,
                stepDefinition.Name,
                stepDefinition.Department,
                workflows.Departments.Find(stepDefinition.Department)?.Name,
                JsonNamingPolicy.CamelCase.ConvertName(stepDefinition.Kind.ToString()),
                JsonNamingPolicy.CamelCase.ConvertName(step.Status.ToString()),
                step.TaskId,
                task?.State,
                task?.Assignee,
                task?.Comment,
                task?.DispatchAttempts ?? 0,
                step.ActivatedAt,
                task?.AcknowledgedAt,
                step.EndedAt,
                task is null ? DeadlineResponse.From(null, slaClock.View(now, null, null, TimeSpan.Zero, null, null, now)) : TaskDeadline(slaClock, task, now))
            {
                Outcome = step.Outcome,
                AwaitingSupplement = step.AwaitsSupplement,
                BreachedAt = step.BreachedAt,
            };
        }).ToList();
        var notifications = await db.Notifications.AsNoTracking()
            .Where(n => n.CaseId == id)
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id)
            .ToListAsync(cancellationToken);

        using var form = JsonDocument.Parse(record.Form);
        return new CaseResponse(record.Id, record.CaseNumber, record.WorkflowId, record.WorkflowVersion, definition.Name,
            record.Status, record.FiledAt, record.EndedAt, form.RootElement.Clone(),
            DeadlineResponse.From(record.Sla, slaClock.View(record.FiledAt, record.DueAt, record.Sla, TimeSpan.Zero, null, record.EndedAt, now)),
            steps, history)
        {
            Incident = record.IncidentEvent is null ? null
                : new IncidentResponse(record.IncidentEvent, record.IncidentPlace!, record.ReportCount, record.LastReportedAt),
            AwaitingSupplement = state.Steps.Any(step => step.AwaitsSupplement),
            Notifications = notifications
                .Select(n => new NotificationResponse(n.StepId, n.Recipient, n.Address is null ? null : PersonalDataMask.Mobile(n.Address),
                    new LocalizedText(n.MessageZh, n.MessageEn), n.CreatedAt, n.DeliveredAt))
                .ToList(),
        };
    }

    public static DeadlineResponse TaskDeadline(SlaClock slaClock, DepartmentTask task, DateTimeOffset now) =>
        DeadlineResponse.From(task.Sla, slaClock.View(task.CreatedAt, task.DueAt, task.Sla, TimeSpan.FromSeconds(task.PausedSeconds),
            task.PausedAt, task.EndedAt, now));

    public static async Task<CasePage> ListCasesAsync(OneThingDbContext db, string? status, string? workflowId, int page, int pageSize,
        CancellationToken cancellationToken)
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

    public static readonly IReadOnlyList<string> Statuses =
        Enum.GetValues<CaseStatus>().Select(s => CaseWriter.StatusName(s)).ToList();
}
