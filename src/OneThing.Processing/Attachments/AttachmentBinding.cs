using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Attachments;

/// <summary>A supplement's further materials (each <c>{ attachmentId }</c>) and the steps that asked for them.</summary>
public sealed record SupplementMaterials(JsonElement Items, IReadOnlyList<string> StepIds);

/// <summary>
/// The uploads a filing or supplement uses, locked in its transaction; <see cref="Form"/> and <see cref="Materials"/>
/// carry each file's stored name, type, size and SHA-256 in place of what the request said.
/// </summary>
public sealed class AttachmentClaim(FormData form, JsonElement? materials, IReadOnlyList<FieldError> errors, IReadOnlyList<AttachmentRecord> claimed)
{
    public FormData Form { get; } = form;
    public JsonElement? Materials { get; } = materials;
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    /// <summary>Ties the newly used uploads to the case; saved with the rest of the caller's unit of work.</summary>
    public void BindTo(Guid caseId)
    {
        foreach (var attachment in claimed)
        {
            attachment.CaseId = caseId;
        }
    }
}

/// <summary>Checks that every file a form or supplement names is an upload its sender may use, and claims it for the case.</summary>
public sealed class AttachmentBinding(OneThingDbContext db)
{
    /// <param name="form">The validated form.</param>
    /// <param name="before">The case's stored form. Its values may stay as they are, even those filed before uploads existed.</param>
    /// <param name="caseId">The case being supplemented.</param>
    /// <remarks>Call inside the caller's transaction: the uploads are locked until it ends, so two requests cannot both use one.</remarks>
    public async Task<AttachmentClaim> ClaimAsync(WorkflowDefinition definition, FormData form, FormData before, Guid caseId, AuditActor uploader,
        CancellationToken cancellationToken, SupplementMaterials? materials = null)
    {
        var (references, errors) = Referenced(definition, form, before, materials);
        var ids = references.Select(r => r.Id).Distinct().ToArray();
        var rows = ids.Length == 0 ? []
            : await db.Attachments.FromSql($"SELECT * FROM attachments WHERE id = ANY({ids}) FOR UPDATE").ToDictionaryAsync(a => a.Id, cancellationToken);
        return Claim(form, caseId, uploader, materials, references, errors, rows);
    }

    /// <summary>
    /// One round trip: the case's number and the uploads locked as FOR UPDATE alone would, each CTE run once (one number
    /// however many uploads; 0140_case_number_sequence.sql; a refused filing leaves a gap, as a rolled-back one does).
    /// </summary>
    private const string NumberAndLockSql = """
        WITH number AS (SELECT nextval('case_numbers') AS value),
             locked AS (SELECT * FROM attachments WHERE id = ANY({0}) FOR UPDATE)
        SELECT number.value, locked.id, locked.file_name, locked.content_type, locked.size, locked.sha256, locked.uploaded_by,
               locked.uploaded_at, locked.case_id, locked.field, locked.step_ids
        FROM number LEFT JOIN locked ON true
        """;

    /// <summary>
    /// For a filing: locks the uploads its form names and takes the case's number from the sequence in the same statement
    /// (<see cref="NumberAndLockSql"/>).
    /// </summary>
    /// <remarks>
    /// Call inside the filing's transaction, as <see cref="ClaimAsync"/>. The statement goes through EF's command
    /// pipeline (its connection, transaction and interceptors) as a raw command, not as a query: EF generated a raw SQL
    /// query's SQL again at every filing (a query with an array parameter is not cached), under a lock every filing
    /// contended for, the most contended monitor of a filing's profile.
    /// </remarks>
    public async Task<(AttachmentClaim Claim, long CaseNumber)> ClaimForFilingAsync(WorkflowDefinition definition, FormData form, AuditActor uploader,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var (references, errors) = Referenced(definition, form, FormData.Empty, materials: null);
        var ids = references.Select(r => r.Id).Distinct().ToArray();
        long caseNumber = 0;
        var rows = new Dictionary<Guid, AttachmentRecord>();
        await using (var reader = await db.ExecuteRawReaderAsync(NumberAndLockSql, [new NpgsqlParameter<Guid[]> { TypedValue = ids }], cancellationToken))
        {
            var read = reader.DbDataReader;
            while (await read.ReadAsync(cancellationToken))
            {
                caseNumber = read.GetInt64(0);
                if (!read.IsDBNull(1))
                {
                    var row = Tracked(new AttachmentRecord
                    {
                        Id = read.GetGuid(1),
                        FileName = read.GetString(2),
                        ContentType = read.GetString(3),
                        Size = read.GetInt64(4),
                        Sha256 = read.GetString(5),
                        UploadedBy = read.GetString(6),
                        UploadedAt = read.GetFieldValue<DateTimeOffset>(7),
                        CaseId = read.IsDBNull(8) ? null : read.GetGuid(8),
                        Field = read.IsDBNull(9) ? null : read.GetString(9),
                        StepIds = read.IsDBNull(10) ? null : read.GetFieldValue<string[]>(10),
                    });
                    rows[row.Id] = row;
                }
            }
        }

        return (Claim(form, caseId: null, uploader, materials: null, references, errors, rows), caseNumber);
    }

    /// <summary>The row as the filing read it under its lock, tracked so that binding it to the case is saved with the rest.</summary>
    private AttachmentRecord Tracked(AttachmentRecord read)
    {
        // The same context may have saved the upload itself (an upload and a filing in one scope): the locked row's binding wins.
        if (db.Attachments.Local.FindEntry(read.Id) is { } uploaded)
        {
            var known = uploaded.Entity;
            (known.CaseId, known.Field, known.StepIds) = (read.CaseId, read.Field, read.StepIds);
            return known;
        }

        db.Attachments.Attach(read);
        return read;
    }

    private static (List<Reference> References, List<FieldError> Errors) Referenced(WorkflowDefinition definition, FormData form, FormData before,
        SupplementMaterials? materials)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<FieldError>();
        var references = new List<Reference>();
        foreach (var field in definition.Form.Where(f => f.Type == FieldType.Attachment))
        {
            if (!form.TryGet(field.Key, out var value))
            {
                continue;
            }

            if (UploadId(value) is { } id)
            {
                references.Add(new Reference(field.Key, field.Key, id));
            }
            else if (!before.TryGet(field.Key, out var stored) || !JsonElement.DeepEquals(stored, value))
            {
                errors.Add(UploadFirst(field.Key));
            }
        }

        var items = materials?.Items.EnumerateArray().ToList() ?? [];
        for (var index = 0; index < items.Count; index++)
        {
            var errorField = $"{AttachmentRecord.SupplementMaterials}[{index}]";
            if (UploadId(items[index]) is { } id)
            {
                references.Add(new Reference(AttachmentRecord.SupplementMaterials, errorField, id));
            }
            else
            {
                errors.Add(UploadFirst(errorField));
            }
        }

        return (references, errors);
    }

    private static AttachmentClaim Claim(FormData form, Guid? caseId, AuditActor uploader, SupplementMaterials? materials, List<Reference> references,
        List<FieldError> errors, Dictionary<Guid, AttachmentRecord> rows)
    {
        var claimed = new List<(AttachmentRecord Row, string Field)>();
        var used = new HashSet<Guid>();
        foreach (var reference in references)
        {
            var row = rows.GetValueOrDefault(reference.Id);
            var unusedOfTheSender = row is { CaseId: null } && row.UploadedBy == uploader.UserName;
            var keptWhereItWas = row is not null && caseId is not null && row.CaseId == caseId && row.Field == reference.Field
                && reference.Field != AttachmentRecord.SupplementMaterials;
            if (!used.Add(reference.Id))
            {
                errors.Add(new FieldError(reference.ErrorField, "同一个上传文件只能使用一次", "The same uploaded file is used twice; upload each file once per use"));
            }
            else if (unusedOfTheSender)
            {
                claimed.Add((row!, reference.Field));
            }
            else if (!keptWhereItWas)
            {
                // Unknown, another clerk's, or already part of a case: one answer, so ids of others' files cannot be probed.
                errors.Add(new FieldError(reference.ErrorField,
                    $"没有您上传且未使用的文件 {reference.Id}，请重新上传",
                    $"There is no unused upload {reference.Id} of yours; upload the file again and use the attachmentId it returns"));
            }
        }

        if (errors.Count > 0)
        {
            return new AttachmentClaim(form, materials?.Items, errors, []);
        }

        foreach (var (row, field) in claimed)
        {
            row.Field = field;
            row.StepIds = field == AttachmentRecord.SupplementMaterials ? [.. materials!.StepIds] : null;
        }

        var described = references.Where(r => r.Field != AttachmentRecord.SupplementMaterials)
            .ToDictionary(r => r.Field, r => Describe(rows[r.Id]));
        var describedMaterials = references.Where(r => r.Field == AttachmentRecord.SupplementMaterials).Select(r => Describe(rows[r.Id])).ToList();
        return new AttachmentClaim(
            form.With(FormData.FromJson(JsonSerializer.SerializeToElement(described))),
            materials is null ? null : JsonSerializer.SerializeToElement(describedMaterials),
            errors,
            claimed.Select(c => c.Row).ToList());
    }

    /// <summary>The form value of a stored upload, as cases hold it and the pages show it.</summary>
    public static JsonElement Describe(AttachmentRecord attachment) => JsonSerializer.SerializeToElement(
        new { attachmentId = attachment.Id, fileName = attachment.FileName, contentType = attachment.ContentType, size = attachment.Size, sha256 = attachment.Sha256 },
        JsonSerializerOptions.Web);

    private static Guid? UploadId(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("attachmentId", out var id) && id.ValueKind == JsonValueKind.String
        && Guid.TryParse(id.GetString(), out var parsed) ? parsed : null;

    private static FieldError UploadFirst(string field) => new(field,
        "请先上传文件（POST /api/attachments），再填写其返回的附件编号（attachmentId）",
        "Upload the file first (POST /api/attachments) and send the attachmentId it returns; a file described by name, type and size only is not kept");

    private sealed record Reference(string Field, string ErrorField, Guid Id);
}
