using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Cases;
using OneThing.Api.Supervision;
using OneThing.Engine;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.DepartmentTasks;

/// <summary>
/// A department's tasks for the API and the web UI alike: only the form fields the step may see, in full for the
/// department's own reviewers (<c>fullValues</c>) and masked for anyone else allowed to look (supervisors).
/// </summary>
internal sealed class InboxQueries(OneThingDbContext db, WorkflowRegistry workflows, SlaClock slaClock, TimeProvider clock)
{
    /// <summary>
    /// One page of the department's tasks and how many match (up to <see cref="DepartmentTaskPage.CountLimit"/>): open, claimed and
    /// awaiting-supplement ones unless the filter names a state (or "all"); most urgent first (earliest deadline, no
    /// deadline last, then oldest).
    /// </summary>
    public async Task<DepartmentTaskPage> PageAsync(string department, InboxFilter filter, bool fullValues, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var query = Matching(department, filter, now);
        var counted = await query.Take(DepartmentTaskPage.CountLimit + 1).CountAsync(cancellationToken);
        var rows = await query
            .OrderBy(t => t.DueAt).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize)
            .Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new TaskRow(t, c.CaseNumber, c.WorkflowId, c.WorkflowVersion, c.Form))
            .ToListAsync(cancellationToken);
        // PostgreSQL sorts a missing deadline last, as wanted; sorting again here keeps that order whatever the join does.
        var ordered = rows.OrderBy(r => r.Task.DueAt is null).ThenBy(r => r.Task.DueAt).ThenBy(r => r.Task.CreatedAt).ThenBy(r => r.Task.Id).ToList();
        var items = await ProjectAsync(ordered, fullValues, now, cancellationToken);
        return new DepartmentTaskPage(items, filter.Page, filter.PageSize, Math.Min(counted, DepartmentTaskPage.CountLimit)) { TotalCapped = counted > DepartmentTaskPage.CountLimit };
    }

    private IQueryable<DepartmentTask> Matching(string department, InboxFilter filter, DateTimeOffset now)
    {
        // Written as literals, not a list parameter, so PostgreSQL sees that the inbox index's own condition holds.
        var query = db.DepartmentTasks.AsNoTracking().Where(t => t.Department == department && t.Kind != StepKind.Automated);
        query = filter.Status switch
        {
            null => query.Where(t => t.State == TaskState.Open || t.State == TaskState.Claimed || t.State == TaskState.AwaitingSupplement),
            InboxFilter.AllStates => query,
            var stored => query.Where(t => t.State == TaskStateNames.Parse(stored)),
        };

        if (filter.Step is { } step)
        {
            query = query.Where(t => t.StepId == step);
        }

        // The light on screen is the one each row shows, so the filter asks the same rule.
        if (filter.Light is { } light)
        {
            query = TaskLights.Showing(query, light, now);
        }

        if (filter.CaseNumber is { } number)
        {
            var prefix = number + "%";
            var reversedPrefix = new string(number.Reverse().ToArray()) + "%";
            query = query.Where(t => db.Cases.Any(c => c.Id == t.CaseId
                && (EF.Functions.Like(c.CaseNumber, prefix) || EF.Functions.Like(EF.Functions.Reverse(c.CaseNumber), reversedPrefix))));
        }

        return query;
    }

    /// <summary>One task of <paramref name="department"/>; null when there is none, also when the task belongs to another department.</summary>
    public async Task<DepartmentTaskResponse?> FindAsync(string department, Guid taskId, bool fullValues, CancellationToken cancellationToken)
    {
        var rows = await db.DepartmentTasks.AsNoTracking()
            .Where(t => t.Id == taskId && t.Department == department)
            .Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new TaskRow(t, c.CaseNumber, c.WorkflowId, c.WorkflowVersion, c.Form))
            .ToListAsync(cancellationToken);
        return (await ProjectAsync(rows, fullValues, clock.GetUtcNow(), cancellationToken)).SingleOrDefault();
    }

    private async Task<IReadOnlyList<DepartmentTaskResponse>> ProjectAsync(List<TaskRow> rows, bool fullValues, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
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
                row.Task.Department, StoredNames.Of(row.Task.Kind), TaskStateNames.Of(row.Task.State), row.Task.Assignee, row.Task.DispatchAttempts,
                row.Task.CreatedAt, row.Task.AcknowledgedAt, row.Task.EndedAt, CaseQueries.TaskDeadline(slaClock, row.Task, now), fields)
            {
                Outcomes = step.Outcomes,
                Outcome = row.Task.Outcome,
                Provides = step.Provides,
                ChooseFrom = row.Task.Chosen ? [] : step.ChooseFrom,
                Round = row.Task.Round,
                WorkflowVersion = row.WorkflowVersion,
                ChosenAtTriage = row.Task.Chosen,
            });
        }

        return tasks;
    }

    private sealed record TaskRow(DepartmentTask Task, string CaseNumber, string WorkflowId, int WorkflowVersion, string Form);
}
