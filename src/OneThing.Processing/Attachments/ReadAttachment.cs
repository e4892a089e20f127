using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Attachments;

public sealed record AttachmentDownload(Guid AttachmentId, string FileName, string ContentType, string Sha256, byte[] Content);

/// <summary>
/// A case's file, for those who may see the field it belongs to: supervisors; the clerk who filed the case, and clerks
/// of the same service hall unless the field is personal (they see it masked); reviewers of a department with a task
/// for a step that <c>sees</c> the field, or for further materials a step that asked for them. Every download is audited.
/// </summary>
public sealed class ReadAttachment(OneThingDbContext db, WorkflowRegistry workflows, AuditTrail audit)
{
    /// <param name="department">The reader's department when they are a reviewer.</param>
    /// <returns>Null when there is no such file on the case, and also when the reader may not see it, so others' files cannot be probed.</returns>
    public async Task<AttachmentDownload?> HandleAsync(Guid caseId, Guid attachmentId, AuditActor reader, string? department, CancellationToken cancellationToken)
    {
        var attachment = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.CaseId == caseId, cancellationToken);
        if (attachment?.Field is null)
        {
            return null;
        }

        var filing = await db.Cases.AsNoTracking()
            .Where(c => c.Id == caseId)
            .Select(c => new { c.CaseNumber, c.FiledBy, c.WorkflowId, c.WorkflowVersion })
            .SingleAsync(cancellationToken);
        var definition = await workflows.GetAsync(db, filing.WorkflowId, filing.WorkflowVersion, cancellationToken);
        var detail = $"{filing.CaseNumber}: {attachment.Field}, attachment {attachment.Id}";
        if (!await MaySeeAsync(definition, attachment, filing.FiledBy, reader, department, cancellationToken))
        {
            await audit.RecordAsync(reader, AuditActions.AttachmentDownloadRefused, AuditTargets.Case, caseId.ToString(), detail, cancellationToken);
            return null;
        }

        var content = await db.AttachmentContents.AsNoTracking()
            .Where(c => c.AttachmentId == attachmentId)
            .Select(c => c.Content)
            .SingleAsync(cancellationToken);
        await audit.RecordAsync(reader, AuditActions.AttachmentDownloaded, AuditTargets.Case, caseId.ToString(), detail, cancellationToken);
        return new AttachmentDownload(attachment.Id, attachment.FileName, attachment.ContentType, attachment.Sha256, content);
    }

    private async Task<bool> MaySeeAsync(WorkflowDefinition definition, AttachmentRecord attachment, string? filedBy, AuditActor reader, string? department,
        CancellationToken cancellationToken)
    {
        var materials = attachment.Field == AttachmentRecord.SupplementMaterials;
        switch (reader.Role)
        {
            case Roles.Supervisor:
                return true;
            case Roles.Clerk:
                var standing = await ClerkCaseAccess.StandingAsync(db, filedBy, reader, cancellationToken);
                return standing == ClerkStanding.Filer
                    || (standing == ClerkStanding.HallColleague && (materials || definition.FindField(attachment.Field!) is { Personal: false }));
            case Roles.Reviewer when department is not null:
                var steps = materials
                    ? attachment.StepIds ?? []
                    : definition.Steps.Where(step => step.Sees.Contains(attachment.Field!, StringComparer.Ordinal)).Select(step => step.Id).ToArray();
                return await db.DepartmentTasks.AsNoTracking()
                    .AnyAsync(t => t.CaseId == attachment.CaseId && t.Department == department && steps.Contains(t.StepId), cancellationToken);
            default:
                return false;
        }
    }
}
