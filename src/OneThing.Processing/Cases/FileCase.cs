using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using OneThing.Engine;
using OneThing.Processing.Attachments;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Cases;

public sealed record FileCaseCommand(string WorkflowId, JsonElement Form, string? IdempotencyKey, AuditActor Clerk);

/// <param name="Created">False when an earlier request with the same idempotency key filed it.</param>
/// <param name="Written">The case just written, for answering without reading it back; null when an earlier request filed it.</param>
public sealed record FiledCase(Guid CaseId, bool Created, CaseUnit? Written = null);

/// <summary>A clerk files a "one thing": the case, its first tasks and their messages are written in one transaction.</summary>
public sealed class FileCase(
    CaseCommands commands,
    OneThingDbContext db,
    WorkflowRegistry workflows,
    EngineEffects effects,
    CaseHistory history,
    DeadlineScheduler deadlines,
    AuditTrail audit,
    AttachmentBinding attachments,
    TimeProvider clock,
    ILogger<FileCase> logger)
{
    public async Task<CommandResult<FiledCase>> HandleAsync(FileCaseCommand command, CancellationToken cancellationToken)
    {
        var workflow = workflows.FindLatest(command.WorkflowId);
        if (workflow is null)
        {
            return new Refusal.Invalid("workflowId", $"There is no workflow '{command.WorkflowId}'. See GET /api/workflows.", "Unknown workflow");
        }

        if (command.Form.ValueKind == JsonValueKind.Object
            && ClerkFormRules.ProvidedByADepartment(workflow.Definition, FormData.FromJson(command.Form), nullsCount: false).ToList() is { Count: > 0 } provided)
        {
            return new Refusal.InvalidForm(provided);
        }

        var (form, errors) = FormValidator.Validate(workflow.Definition, command.Form, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (form is null || errors.Count > 0)
        {
            return new Refusal.InvalidForm(errors);
        }

        var requestHash = HashRequest(command.WorkflowId, form);
        if (command.IdempotencyKey is { } key && await FindByKeyAsync(key, requestHash, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        CommandResult<FiledCase> result;
        try
        {
            result = await commands.NewCaseAsync(token => FileAsync(workflow, form, requestHash, command, token), cancellationToken);
        }
        catch (DbUpdateException ex) when (command.IdempotencyKey is { } racedKey
            && ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "cases_idempotency_key_key" })
        {
            // Another request with the same key won the race; answer with its case.
            db.ChangeTracker.Clear();
            return await FindByKeyAsync(racedKey, requestHash, cancellationToken)
                ?? throw new InvalidOperationException("A case with this idempotency key vanished", ex);
        }

        // A retry of a filing that has just committed finds its uploads used: by its own case, which is the answer.
        if (result.Refusal is Refusal.InvalidForm && command.IdempotencyKey is { } retried && await FindByKeyAsync(retried, requestHash, cancellationToken) is { } filed)
        {
            return filed;
        }

        return result;
    }

    private async Task<CommandResult<FiledCase>> FileAsync(RegisteredWorkflow workflow, FormData form, string requestHash, FileCaseCommand command,
        CancellationToken cancellationToken)
    {
        var (claim, number) = await attachments.ClaimForFilingAsync(workflow.Definition, form, command.Clerk, cancellationToken);
        if (claim.Errors.Count > 0)
        {
            return new Refusal.InvalidForm(claim.Errors);
        }

        var (unit, started) = await OpenAsync(workflow, claim.Form, clock.GetUtcNow(), reports: 0, command.IdempotencyKey, requestHash, command.Clerk,
            cancellationToken, number: number);
        claim.BindTo(unit.Id);
        logger.LogInformation("Filed case {CaseId} ({CaseNumber}) on {WorkflowId} v{WorkflowVersion} with {TaskCount} first tasks",
            unit.Id, unit.Record.CaseNumber, unit.Record.WorkflowId, unit.Record.WorkflowVersion, started.Effects.OfType<DispatchTask>().Count());
        return CommandResult<FiledCase>.Done(new FiledCase(unit.Id, Created: true, unit));
    }

    /// <summary>Adds a new case with its first tasks, history and deadlines to the caller's transaction; saves nothing.</summary>
    /// <param name="reports">1 for an incident case opened by a report, 0 for a case filed at a window.</param>
    /// <param name="filedBy">The clerk at the window, or the account that reported the incident.</param>
    /// <param name="placeCases">For an incident: the cases its place had in the last 90 days, this one included (place.cases90d).</param>
    /// <param name="number">The case_numbers value when the caller took it already (a filing does, with its uploads' lock).</param>
    public async Task<(CaseUnit Unit, Applied Started)> OpenAsync(RegisteredWorkflow workflow, FormData form, DateTimeOffset now, int reports,
        string? idempotencyKey, string? requestHash, AuditActor filedBy, CancellationToken cancellationToken, Action<CaseRecord>? describe = null,
        int placeCases = 0, long? number = null)
    {
        var caseId = Guid.CreateVersion7(now);
        var started = CaseEngine.Start(workflow.Definition, caseId, form, now, reports, placeCases);
        var record = new CaseRecord
        {
            Id = caseId,
            CaseNumber = number is { } taken ? CaseNumbers.Format(now, taken) : await CaseNumbers.NextAsync(db, now, cancellationToken),
            WorkflowId = workflow.Definition.Id,
            WorkflowVersion = workflow.Version,
            Status = StoredNames.Of(started.State.Status),
            Form = form.ToJsonText(),
            State = "{}",
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            FiledAt = now,
            FiledBy = filedBy.UserName,
            UpdatedAt = now,
            ReportCount = reports,
            Street = PlaceFieldRules.StreetOf(workflow.Definition, form),
        };
        describe?.Invoke(record);
        db.Cases.Add(record);
        history.Add(caseId, CaseEventTypes.CaseFiled, actor: filedBy.Name, detail: $"{workflow.Definition.Id} v{workflow.Version}");
        audit.Add(filedBy, AuditActions.CaseFiled, AuditTargets.Case, caseId.ToString(), record.CaseNumber);
        if (workflow.Definition.Sla is { } caseSla)
        {
            deadlines.StartCaseDeadline(record, caseSla);
        }

        var unit = new CaseUnit(record, workflow.Definition, form);
        await effects.ApplyAsync(unit, started, cancellationToken);
        return (unit, started);
    }

    private async Task<CommandResult<FiledCase>?> FindByKeyAsync(string key, string requestHash, CancellationToken cancellationToken)
    {
        var existing = await db.Cases.AsNoTracking()
            .Where(c => c.IdempotencyKey == key)
            .Select(c => new { c.Id, c.RequestHash })
            .SingleOrDefaultAsync(cancellationToken);
        if (existing is null)
        {
            return null;
        }

        return existing.RequestHash == requestHash
            ? CommandResult<FiledCase>.Done(new FiledCase(existing.Id, Created: false))
            : new Refusal.Unprocessable("Idempotency-Key reused", $"This Idempotency-Key was already used for case {existing.Id} with a different request.");
    }

    private static string HashRequest(string workflowId, FormData form)
    {
        var canonical = $"{workflowId}\n{form.ToJsonText()}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
