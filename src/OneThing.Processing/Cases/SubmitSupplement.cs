using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Attachments;
using OneThing.Processing.Audit;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Cases;

/// <param name="Changes">Form fields to change (new values win), including attachment fields.</param>
/// <param name="Attachments">Further materials, each { attachmentId } of an upload.</param>
public sealed record SubmitSupplementCommand(Guid CaseId, JsonElement? Changes, JsonElement? Attachments, string? Note, AuditActor Actor);

public abstract record CaseCommandResult
{
    public sealed record Done : CaseCommandResult;
    public sealed record NotFound : CaseCommandResult;
    public sealed record Conflict(string Message) : CaseCommandResult;
    public sealed record InvalidForm(IReadOnlyList<FieldError> Errors) : CaseCommandResult;
    public sealed record Forbidden(string Message) : CaseCommandResult;
}

/// <summary>The clerk supplies what a reviewer asked for; the same tasks resume with the same reviewers, their deadlines moved by the pause.</summary>
public sealed class SubmitSupplement(
    OneThingDbContext db,
    WorkflowRegistry workflows,
    CaseWriter writer,
    AuditTrail audit,
    AttachmentBinding attachmentBinding,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<SubmitSupplement> logger)
{
    public async Task<CaseCommandResult> HandleAsync(SubmitSupplementCommand command, CancellationToken cancellationToken)
    {
        var filing = await db.Cases.AsNoTracking()
            .Where(c => c.Id == command.CaseId)
            .Select(c => new { c.CaseNumber, c.FiledBy })
            .SingleOrDefaultAsync(cancellationToken);
        if (filing is null)
        {
            return new CaseCommandResult.NotFound();
        }

        var standing = await ClerkCaseAccess.StandingAsync(db, filing.FiledBy, command.Actor, cancellationToken);
        if (standing == ClerkStanding.Stranger)
        {
            await audit.RecordAsync(command.Actor, AuditActions.CaseChangeRefused, AuditTargets.Case, command.CaseId.ToString(),
                $"{filing.CaseNumber}: supplement refused, neither its filer nor a clerk of the filer's service hall", cancellationToken);
            return new CaseCommandResult.Forbidden("Only the clerk who filed this case, or a clerk of the same service hall, may supplement it.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.LockCaseAsync(command.CaseId, cancellationToken);
        var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);

        var changes = command.Changes is { } changed ? FormData.FromJson(changed) : FormData.Empty;
        var refusedChanges = ClerkFormRules.RefusedChanges(definition, CaseWriter.ReadForm(record), changes, standing);
        if (refusedChanges.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            await audit.RecordAsync(command.Actor, AuditActions.CaseChangeRefused, AuditTargets.Case, record.Id.ToString(),
                $"{record.CaseNumber}: supplement refused, it may not change {string.Join(", ", refusedChanges.Select(e => e.Field).Distinct())}",
                cancellationToken);
            return new CaseCommandResult.InvalidForm(refusedChanges);
        }

        var (merged, errors) = FormValidator.Validate(definition, CaseWriter.ReadForm(record).With(changes).ToJson(),
            DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var allErrors = errors.ToList();
        if (command.Attachments is { } attachments)
        {
            allErrors.AddRange(FormValidator.ValidateAttachments(attachments, "attachments"));
        }

        if (merged is null || allErrors.Count > 0)
        {
            return new CaseCommandResult.InvalidForm(allErrors);
        }

        var before = CaseWriter.ReadForm(record);
        var waiting = CaseWriter.ReadState(record).Steps.Where(step => step.AwaitsSupplement).Select(step => step.StepId).ToList();
        var claim = await attachmentBinding.ClaimAsync(definition, merged, before, record.Id, command.Actor, cancellationToken,
            command.Attachments is { } materials ? new SupplementMaterials(materials, waiting) : null);
        if (claim.Errors.Count > 0)
        {
            return new CaseCommandResult.InvalidForm(claim.Errors);
        }

        claim.BindTo(record.Id);
        merged = claim.Form;
        var changedKeys = merged.Keys
            .Where(key => !before.TryGet(key, out var old) || !merged.TryGet(key, out var now) || !JsonElement.DeepEquals(old, now))
            .ToArray();
        record.Form = merged.ToJson().GetRawText();
        var result = CaseEngine.Apply(definition, CaseWriter.ReadState(record), merged, new SupplementSubmitted(command.Actor.Name), clock.GetUtcNow());
        if (result is Refused refused)
        {
            return new CaseCommandResult.Conflict(refused.Message);
        }

        var attachmentCount = command.Attachments?.GetArrayLength() ?? 0;
        db.Supplements.Add(new SupplementRecord
        {
            CaseId = record.Id,
            ChangedFields = changedKeys,
            Attachments = claim.Materials?.GetRawText() ?? "[]",
            Note = command.Note,
            SubmittedBy = command.Actor.Name,
            SubmittedAt = clock.GetUtcNow(),
        });
        // Keys only: the values are often personal data, and the history is shown to every department of the case.
        writer.AddEvent(record.Id, CaseEventTypes.SupplementSubmitted, actor: command.Actor.Name,
            detail: $"changed: {(changedKeys.Length == 0 ? "nothing" : string.Join(", ", changedKeys))}; attachments: {attachmentCount}"
                + (string.IsNullOrWhiteSpace(command.Note) ? "" : $"; {command.Note}"));
        audit.Add(command.Actor, AuditActions.SupplementSubmitted, AuditTargets.Case, record.Id.ToString(),
            $"{record.CaseNumber}: {changedKeys.Length} fields changed, {attachmentCount} attachments{ClerkCaseAccess.Describe(standing, record.FiledBy)}");
        await writer.ApplyAsync(record, (Applied)result, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        logger.LogInformation("Supplement submitted for case {CaseId}: {ChangedCount} fields changed, {AttachmentCount} attachments",
            record.Id, changedKeys.Length, attachmentCount);
        return new CaseCommandResult.Done();
    }
}
