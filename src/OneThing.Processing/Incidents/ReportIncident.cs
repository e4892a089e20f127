using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Elders;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Incidents;

/// <param name="Source">Who or what reported it (a sensor id, a resident hotline, a camera); for the history.</param>
/// <param name="Reporter">The signed-in account that sent the report (a sensor gateway, a hotline clerk).</param>
/// <param name="IdempotencyKey">The same key again (a sensor retrying) answers with the case of the first report and counts nothing.</param>
public sealed record ReportIncidentCommand(string Event, JsonElement Form, string? Source, AuditActor Reporter, string? IdempotencyKey = null);

/// <param name="Attached">True when the report joined an open case of the same incident instead of opening one.</param>
/// <param name="Repeated">True when this exact report (same Idempotency-Key) was received before.</param>
public sealed record ReportedIncident(Guid CaseId, bool Attached, bool Repeated = false);

/// <summary>
/// A sensor or another system reports an incident. Reports of the same event and place within the workflow's merge
/// window are one incident: the first opens a case, the others are attached to it and counted.
/// </summary>
public sealed class ReportIncident(
    CaseCommands commands,
    OneThingDbContext db,
    WorkflowRegistry workflows,
    FileCase fileCase,
    CompleteFromRegister register,
    EngineEffects effects,
    CaseHistory history,
    TimeProvider clock,
    ILogger<ReportIncident> logger)
{
    /// <summary>The window of <c>place.cases90d</c>.</summary>
    private const int PlaceHistoryDays = 90;

    public async Task<CommandResult<ReportedIncident>> HandleAsync(ReportIncidentCommand command, CancellationToken cancellationToken)
    {
        var workflow = workflows.Latest.FirstOrDefault(w => w.Definition.Incident?.Event == command.Event);
        if (workflow?.Definition.Incident is not { } incident)
        {
            var known = workflows.Latest.Select(w => w.Definition.Incident?.Event).OfType<string>().Order(StringComparer.Ordinal);
            return new Refusal.NotFound($"No workflow is opened by event '{command.Event}'. Known events: {string.Join(", ", known)}.");
        }

        var completed = await register.HandleAsync(incident, command.Form, cancellationToken);
        if (completed.Refusal is { } unregistered)
        {
            return unregistered;
        }

        var (form, errors) = FormValidator.Validate(workflow.Definition, completed.Value, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (form is null || errors.Count > 0)
        {
            return new Refusal.InvalidForm(errors);
        }

        var place = IncidentPlace.KeyOf(incident, form);
        var now = clock.GetUtcNow();
        var since = now - WindowLength(incident.MergeWindow);

        try
        {
            return await commands.NewCaseAsync(token => ReportAsync(workflow, command, form, place, now, since, token), cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException
            {
                SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: "incident_reports_idempotency_key_key",
            })
        {
            // The same key was used for a report of another place (the place lock did not cover it).
            db.ChangeTracker.Clear();
            return IdempotencyKeyReused;
        }

        static TimeSpan WindowLength(Sla window) => window.Unit switch
        {
            SlaUnit.Minutes => TimeSpan.FromMinutes(window.Amount),
            SlaUnit.Hours => TimeSpan.FromHours(window.Amount),
            _ => TimeSpan.FromDays(window.Amount),
        };
    }

    private static Refusal IdempotencyKeyReused =>
        new Refusal.Unprocessable("Idempotency-Key reused", "This Idempotency-Key was already used for a report of another place.");

    private async Task<CommandResult<ReportedIncident>> ReportAsync(RegisteredWorkflow workflow, ReportIncidentCommand command, FormData form, string place,
        DateTimeOffset now, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // Two reports of the same place at the same moment must not both open a case: they queue on this lock.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({command.Event + "\n" + place}, 0))", cancellationToken);
        if (command.IdempotencyKey is { } key
            && await db.IncidentReports.AsNoTracking().Where(r => r.IdempotencyKey == key).Select(r => (Guid?)r.CaseId).SingleOrDefaultAsync(cancellationToken)
                is { } earlierCaseId)
        {
            // Done, though nothing changes: the answer is the first report's case.
            return CommandResult<ReportedIncident>.Done(new ReportedIncident(earlierCaseId, Attached: true, Repeated: true));
        }

        var openCaseId = await db.Cases.AsNoTracking()
            .Where(c => c.IncidentEvent == command.Event && c.IncidentPlace == place && c.EndedAt == null && c.LastReportedAt >= since)
            .OrderByDescending(c => c.LastReportedAt)
            .Select(c => (Guid?)c.Id)
            .FirstOrDefaultAsync(cancellationToken);

        CaseRecord record;
        if (openCaseId is { } caseId)
        {
            record = await db.LockCaseAsync(caseId, cancellationToken);
            var unit = new CaseUnit(record, await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken));
            var result = await effects.ApplyEventAsync(unit, new IncidentReportAttached(), cancellationToken);
            if (result is not Applied)
            {
                throw new InvalidOperationException($"Case {caseId} is open but refused a report: {result}");
            }

            record.ReportCount++;
            record.LastReportedAt = now;
            history.Add(record.Id, CaseEventTypes.ReportAttached, actor: command.Source, detail: $"report {record.ReportCount}");
        }
        else
        {
            var earlierCases = await db.Cases.CountAsync(
                c => c.IncidentEvent == command.Event && c.IncidentPlace == place && c.FiledAt >= now.AddDays(-PlaceHistoryDays), cancellationToken);
            var (opened, _) = await fileCase.OpenAsync(workflow, form, now, reports: 1, idempotencyKey: null, requestHash: null, command.Reporter, cancellationToken,
                describe: opening =>
                {
                    opening.IncidentEvent = command.Event;
                    opening.IncidentPlace = place;
                    opening.LastReportedAt = now;
                },
                placeCases: earlierCases + 1);
            record = opened.Record;
            history.Add(record.Id, CaseEventTypes.IncidentReported, actor: command.Source, detail: command.Event);
        }

        db.IncidentReports.Add(new IncidentReport
        {
            CaseId = record.Id,
            Event = command.Event,
            Place = place,
            Source = command.Source,
            // What the report said: the fields a register completed stay in the case's form, not here.
            Form = form.Project(form.Keys.Where(key => workflow.Definition.Incident!.Register?.Fill.ContainsKey(key) != true)).ToJsonText(),
            ReceivedAt = now,
            IdempotencyKey = command.IdempotencyKey,
        });
        if (openCaseId is null)
        {
            logger.LogInformation("Incident {Event} opened case {CaseId}", command.Event, record.Id);
        }
        else
        {
            logger.LogInformation("Incident {Event} attached to case {CaseId} as report {ReportCount}", command.Event, record.Id, record.ReportCount);
        }

        return CommandResult<ReportedIncident>.Done(new ReportedIncident(record.Id, Attached: openCaseId is not null));
    }
}
