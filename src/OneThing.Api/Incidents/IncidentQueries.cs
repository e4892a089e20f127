using Microsoft.EntityFrameworkCore;
using OneThing.Api.Cases;
using OneThing.Engine;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Incidents;

/// <param name="ReportCount">The report that opened the case and every duplicate merged into it.</param>
public sealed record OpenIncident(
    Guid CaseId,
    string CaseNumber,
    string WorkflowId,
    LocalizedText WorkflowName,
    string Event,
    string Place,
    int ReportCount,
    DateTimeOffset FiledAt,
    DateTimeOffset? LastReportedAt,
    DeadlineResponse Deadline);

public sealed record OpenIncidentPage(IReadOnlyList<OpenIncident> Items, int Page, int PageSize, int Total);

/// <summary>The incident cases still open, for supervisors: where each happened and how many reports it gathered.</summary>
internal sealed class IncidentQueries(OneThingDbContext db, WorkflowRegistry workflows, SlaClock slaClock, TimeProvider clock)
{
    /// <summary>Most recently reported first, so a place that keeps being reported stays on top.</summary>
    public async Task<OpenIncidentPage> ListOpenAsync(string? incidentEvent, int page, int pageSize, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var query = db.Cases.AsNoTracking().Where(c => c.IncidentEvent != null && c.EndedAt == null);
        if (!string.IsNullOrEmpty(incidentEvent))
        {
            query = query.Where(c => c.IncidentEvent == incidentEvent);
        }

        var total = await query.CountAsync(cancellationToken);
        var records = await query
            .OrderByDescending(c => c.LastReportedAt).ThenBy(c => c.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new { c.Id, c.CaseNumber, c.WorkflowId, c.WorkflowVersion, c.IncidentEvent, c.IncidentPlace, c.ReportCount, c.FiledAt,
                c.LastReportedAt, c.DueAt, c.Sla })
            .ToListAsync(cancellationToken);
        var items = new List<OpenIncident>(records.Count);
        foreach (var record in records)
        {
            var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
            items.Add(new OpenIncident(record.Id, record.CaseNumber, record.WorkflowId, definition.Name, record.IncidentEvent!, record.IncidentPlace!,
                record.ReportCount, record.FiledAt, record.LastReportedAt,
                DeadlineResponse.From(record.Sla, slaClock.View(record.FiledAt, record.DueAt, record.Sla, TimeSpan.Zero, null, null, now))));
        }

        return new OpenIncidentPage(items, page, pageSize, total);
    }

    /// <summary>The events that open incident cases, from the latest workflow versions.</summary>
    public static IReadOnlyList<(string Event, LocalizedText WorkflowName)> Events(WorkflowRegistry workflows) => workflows.Latest
        .Where(w => w.Definition.Incident is not null)
        .Select(w => (w.Definition.Incident!.Event, w.Definition.Name))
        .OrderBy(e => e.Event, StringComparer.Ordinal)
        .ToList();
}
