using System.Text.Json;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Attachments;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <param name="Changes">Form fields to change (new values win), including attachment fields.</param>
/// <param name="Attachments">Further materials, each { attachmentId } of an upload.</param>
public sealed record SubmitSupplementCommand(Guid CaseId, JsonElement? Changes, JsonElement? Attachments, string? Note, AuditActor Actor);

/// <summary>The clerk supplies what a reviewer asked for; the same tasks resume with the same reviewers, their deadlines moved by the pause.</summary>
public sealed class SubmitSupplement(
    CaseCommands commands,
    OneThingDbContext db,
    EngineEffects effects,
    CaseHistory history,
    AuditTrail audit,
    AttachmentBinding attachmentBinding,
    TimeProvider clock,
    ILogger<SubmitSupplement> logger)
{
    public Task<CommandResult<Unit>> HandleAsync(SubmitSupplementCommand command, CancellationToken cancellationToken) =>
        FreeText.Check("note", command.Note, required: false, $"note is at most {FreeText.MaxLength} characters.") is { } invalid
            ? Task.FromResult<CommandResult<Unit>>(invalid)
            : commands.OnCaseAsync(command.CaseId, (unit, token) => SubmitAsync(unit, command, token), cancellationToken);

    private async Task<CommandResult<Unit>> SubmitAsync(CaseUnit unit, SubmitSupplementCommand command, CancellationToken cancellationToken)
    {
        var record = unit.Record;
        var standing = await ClerkCaseAccess.StandingAsync(db, record.FiledBy, command.Actor, cancellationToken);
        if (standing == ClerkStanding.Stranger)
        {
            unit.AuditEvenIfRefused(command.Actor, AuditActions.CaseChangeRefused, AuditTargets.Case, record.Id.ToString(),
                $"{record.CaseNumber}: supplement refused, neither its filer nor a clerk of the filer's service hall");
            return new Refusal.Forbidden("Only the clerk who filed this case, or a clerk of the same service hall, may supplement it.");
        }

        var definition = unit.Definition;
        var before = unit.Form;
        var changes = command.Changes is { } changed ? FormData.FromJson(changed) : FormData.Empty;
        var refusedChanges = ClerkFormRules.RefusedChanges(definition, before, changes, standing);
        if (refusedChanges.Count > 0)
        {
            unit.AuditEvenIfRefused(command.Actor, AuditActions.CaseChangeRefused, AuditTargets.Case, record.Id.ToString(),
                $"{record.CaseNumber}: supplement refused, it may not change {string.Join(", ", refusedChanges.Select(e => e.Field).Distinct())}");
            return new Refusal.InvalidForm(refusedChanges);
        }

        var (merged, errors) = FormValidator.Validate(definition, before.With(changes).ToJson(), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var allErrors = errors.ToList();
        if (command.Attachments is { } attachments)
        {
            allErrors.AddRange(FormValidator.ValidateAttachments(attachments, "attachments"));
        }

        if (merged is null || allErrors.Count > 0)
        {
            return new Refusal.InvalidForm(allErrors);
        }

        var waiting = unit.State.Steps.Where(step => step.AwaitsSupplement).Select(step => step.StepId).ToList();
        var claim = await attachmentBinding.ClaimAsync(definition, merged, before, record.Id, command.Actor, cancellationToken,
            command.Attachments is { } materials ? new SupplementMaterials(materials, waiting) : null);
        if (claim.Errors.Count > 0)
        {
            return new Refusal.InvalidForm(claim.Errors);
        }

        claim.BindTo(record.Id);
        merged = claim.Form;
        var changedKeys = merged.Keys
            .Where(key => !before.TryGet(key, out var old) || !merged.TryGet(key, out var now) || !JsonElement.DeepEquals(old, now))
            .ToArray();
        unit.ChangeForm(merged);
        var result = CaseEngine.Apply(definition, unit.State, merged, new SupplementSubmitted(command.Actor.Name), clock.GetUtcNow());
        if (result is Refused refused)
        {
            return new Refusal.Conflict(refused.Message);
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
        history.Add(record.Id, CaseEventTypes.SupplementSubmitted, actor: command.Actor.Name,
            detail: $"changed: {(changedKeys.Length == 0 ? "nothing" : string.Join(", ", changedKeys))}; attachments: {attachmentCount}"
                + (string.IsNullOrWhiteSpace(command.Note) ? "" : $"; {command.Note}"));
        audit.Add(command.Actor, AuditActions.SupplementSubmitted, AuditTargets.Case, record.Id.ToString(),
            $"{record.CaseNumber}: {changedKeys.Length} fields changed, {attachmentCount} attachments{ClerkCaseAccess.Describe(standing, record.FiledBy)}");
        await effects.ApplyAsync(unit, (Applied)result, cancellationToken);
        logger.LogInformation("Supplement submitted for case {CaseId}: {ChangedCount} fields changed, {AttachmentCount} attachments",
            record.Id, changedKeys.Length, attachmentCount);
        return CommandResult<Unit>.Done(Unit.Value);
    }
}
