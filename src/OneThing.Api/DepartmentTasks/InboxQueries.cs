using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Cases;
using OneThing.Engine;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.DepartmentTasks;

/// <summary>
/// A department's tasks for the API and the web UI alike: only the form fields the step may see, in full for the
/// department's own reviewers (<c>fullValues</c>) and masked for anyone else allowed to look (supervisors).
/// </summary>
internal static class InboxQueries
{
    public const string AllStates = "all";
    private const int MaxInboxSize = 500;

    /// <summary>Open, claimed and awaiting-supplement tasks when <paramref name="status"/> is null, every task for "all", else one task state; most urgent first.</summary>
    public static async Task<IReadOnlyList<DepartmentTaskResponse>> ListAsync(OneThingDbContext db, WorkflowRegistry workflows, SlaClock slaClock,
        TimeProvider clock, string department, string? status, bool fullValues, CancellationToken cancellationToken)
    {
        var query = db.DepartmentTasks.AsNoTracking().Where(t => t.Department == department && t.Kind != "automated");
        query = status switch
        {
            null => query.Where(t => t.State == TaskStates.Open || t.State == TaskStates.Claimed || t.State == TaskStates.AwaitingSupplement),
            AllStates => query,
            _ => query.Where(t => t.State == status),
        };

        var rows = await query
            .OrderBy(t => t.DueAt == null).ThenBy(t => t.DueAt).ThenBy(t => t.CreatedAt)
            .Take(MaxInboxSize)
            .Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new TaskRow(t, c.CaseNumber, c.WorkflowId, c.WorkflowVersion, c.Form))
            .ToListAsync(cancellationToken);
        return await ProjectAsync(db, workflows, slaClock, clock, rows, fullValues, cancellationToken);
    }

    /// <summary>One task of <paramref name="department"/>; null when there is none, also when the task belongs to another department.</summary>
    public static async Task<DepartmentTaskResponse?> FindAsync(OneThingDbContext db, WorkflowRegistry workflows, SlaClock slaClock,
        TimeProvider clock, string department, Guid taskId, bool fullValues, CancellationToken cancellationToken)
    {
        var rows = await db.DepartmentTasks.AsNoTracking()
            .Where(t => t.Id == taskId && t.Department == department)
            .Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new TaskRow(t, c.CaseNumber, c.WorkflowId, c.WorkflowVersion, c.Form))
            .ToListAsync(cancellationToken);
        return (await ProjectAsync(db, workflows, slaClock, clock, rows, fullValues, cancellationToken)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<DepartmentTaskResponse>> ProjectAsync(OneThingDbContext db, WorkflowRegistry workflows,
        SlaClock slaClock, TimeProvider clock, List<TaskRow> rows, bool fullValues, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tasks = new List<DepartmentTaskResponse>(rows.Count);
        foreach (var row in rows)
        {
            var definition = await workflows.GetAsync(db, row.WorkflowId, row.WorkflowVersion, cancellationToken);
            var step = definition.FindStep(row.Task.StepId)!;
            using var form = JsonDocument.Parse(row.Form);
            var visible = FormData.FromJson(form.RootElement).Project(step.Sees);
            // The department's reviewers need these fields as filed; a supervisor looking on sees them masked.
            var fields = fullValues ? visible.ToJson() : FormMasking.Mask(definition, visible).ToJson();
            tasks.Add(new DepartmentTaskResponse(row.Task.Id, row.Task.CaseId, row.CaseNumber, row.WorkflowId, row.Task.StepId, step.Name,
                row.Task.Department, row.Task.Kind, row.Task.State, row.Task.Assignee, row.Task.DispatchAttempts,
                row.Task.CreatedAt, row.Task.AcknowledgedAt, row.Task.EndedAt, CaseQueries.TaskDeadline(slaClock, row.Task, now), fields)
            {
                Outcomes = step.Outcomes,
                Outcome = row.Task.Outcome,
                Provides = step.Provides,
                ChooseFrom = row.Task.Chosen ? [] : step.ChooseFrom,
                Round = row.Task.Round,
                ChosenAtTriage = row.Task.Chosen,
            });
        }

        return tasks;
    }

    private sealed record TaskRow(DepartmentTask Task, string CaseNumber, string WorkflowId, int WorkflowVersion, string Form);
}
