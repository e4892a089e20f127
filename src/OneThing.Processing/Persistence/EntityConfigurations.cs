using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneThing.Processing.DepartmentTasks;

namespace OneThing.Processing.Persistence;

internal sealed class WorkflowVersionConfiguration : IEntityTypeConfiguration<WorkflowVersion>
{
    public void Configure(EntityTypeBuilder<WorkflowVersion> builder)
    {
        builder.ToTable("workflow_versions");
        builder.HasKey(v => new { v.WorkflowId, v.Version });
        builder.Property(v => v.WorkflowId).HasColumnName("workflow_id");
        builder.Property(v => v.Version).HasColumnName("version");
        builder.Property(v => v.ContentHash).HasColumnName("content_hash");
        builder.Property(v => v.SourceText).HasColumnName("source_text");
        builder.Property(v => v.FileName).HasColumnName("file_name");
        builder.Property(v => v.RegisteredAt).HasColumnName("registered_at");
        builder.Property(v => v.DepartmentsSource).HasColumnName("departments_source");
    }
}

internal sealed class CaseRecordConfiguration : IEntityTypeConfiguration<CaseRecord>
{
    public void Configure(EntityTypeBuilder<CaseRecord> builder)
    {
        builder.ToTable("cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("id");
        builder.Property(c => c.CaseNumber).HasColumnName("case_number");
        builder.Property(c => c.WorkflowId).HasColumnName("workflow_id");
        builder.Property(c => c.WorkflowVersion).HasColumnName("workflow_version");
        builder.HasOne<WorkflowVersion>().WithMany().HasForeignKey(c => new { c.WorkflowId, c.WorkflowVersion });
        builder.Property(c => c.Status).HasColumnName("status");
        builder.Property(c => c.Form).HasColumnName("form").HasColumnType("jsonb");
        builder.Property(c => c.State).HasColumnName("state").HasColumnType("jsonb");
        builder.Property(c => c.IdempotencyKey).HasColumnName("idempotency_key");
        builder.Property(c => c.RequestHash).HasColumnName("request_hash");
        builder.Property(c => c.FiledAt).HasColumnName("filed_at");
        builder.Property(c => c.FiledBy).HasColumnName("filed_by");
        builder.Property(c => c.UpdatedAt).HasColumnName("updated_at");
        builder.Property(c => c.EndedAt).HasColumnName("ended_at");
        builder.Property(c => c.Sla).HasColumnName("sla");
        builder.Property(c => c.DueAt).HasColumnName("due_at");
        builder.Property(c => c.WarnAt).HasColumnName("warn_at");
        builder.Property(c => c.BreachedAt).HasColumnName("breached_at");
        builder.Property(c => c.PausedAt).HasColumnName("paused_at");
        builder.Property(c => c.PausedSeconds).HasColumnName("paused_seconds");
        builder.Property(c => c.IncidentEvent).HasColumnName("incident_event");
        builder.Property(c => c.IncidentPlace).HasColumnName("incident_place");
        builder.Property(c => c.ReportCount).HasColumnName("report_count");
        builder.Property(c => c.LastReportedAt).HasColumnName("last_reported_at");
        builder.Property(c => c.Street).HasColumnName("street");
    }
}

internal sealed class CaseEventRecordConfiguration : IEntityTypeConfiguration<CaseEventRecord>
{
    public void Configure(EntityTypeBuilder<CaseEventRecord> builder)
    {
        builder.ToTable("case_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(e => e.CaseId).HasColumnName("case_id");
        builder.HasOne<CaseRecord>().WithMany().HasForeignKey(e => e.CaseId);
        builder.Property(e => e.Type).HasColumnName("type");
        builder.Property(e => e.StepId).HasColumnName("step_id");
        builder.Property(e => e.TaskId).HasColumnName("task_id");
        builder.Property(e => e.Actor).HasColumnName("actor");
        builder.Property(e => e.Detail).HasColumnName("detail");
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
    }
}

internal sealed class DepartmentTaskConfiguration : IEntityTypeConfiguration<DepartmentTask>
{
    public void Configure(EntityTypeBuilder<DepartmentTask> builder)
    {
        builder.ToTable("department_tasks");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasColumnName("id");
        builder.Property(t => t.CaseId).HasColumnName("case_id");
        builder.HasOne<CaseRecord>().WithMany().HasForeignKey(t => t.CaseId);
        builder.Property(t => t.StepId).HasColumnName("step_id");
        builder.Property(t => t.Department).HasColumnName("department");
        // Stored as the same words as ever: partial indexes, raw SQL and the bench's scripts compare them.
        builder.Property(t => t.Kind).HasColumnName("kind").HasConversion(kind => StoredNames.Of(kind), stored => StoredNames.StepKindOf(stored));
        builder.Property(t => t.State).HasColumnName("state").HasConversion(state => TaskStateNames.Of(state), stored => TaskStateNames.Parse(stored));
        builder.Property(t => t.Assignee).HasColumnName("assignee");
        builder.Property(t => t.Comment).HasColumnName("comment");
        builder.Property(t => t.DispatchAttempts).HasColumnName("dispatch_attempts");
        builder.Property(t => t.CreatedAt).HasColumnName("created_at");
        builder.Property(t => t.LastDispatchedAt).HasColumnName("last_dispatched_at");
        builder.Property(t => t.AcknowledgedAt).HasColumnName("acknowledged_at");
        builder.Property(t => t.ClaimedAt).HasColumnName("claimed_at");
        builder.Property(t => t.EndedAt).HasColumnName("ended_at");
        builder.Property(t => t.Sla).HasColumnName("sla");
        builder.Property(t => t.DueAt).HasColumnName("due_at");
        builder.Property(t => t.WarnAt).HasColumnName("warn_at");
        builder.Property(t => t.PausedAt).HasColumnName("paused_at");
        builder.Property(t => t.PausedSeconds).HasColumnName("paused_seconds");
        builder.Property(t => t.WarnedAt).HasColumnName("warned_at");
        builder.Property(t => t.BreachedAt).HasColumnName("breached_at");
        builder.Property(t => t.EscalationLevel).HasColumnName("escalation_level");
        builder.Property(t => t.Outcome).HasColumnName("outcome");
        builder.Property(t => t.Round).HasColumnName("round");
        builder.Property(t => t.Chosen).HasColumnName("chosen");
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(m => m.MessageId).HasColumnName("message_id");
        builder.Property(m => m.MessageType).HasColumnName("message_type");
        builder.Property(m => m.Destination).HasColumnName("destination");
        builder.Property(m => m.Payload).HasColumnName("payload").HasColumnType("jsonb");
        builder.Property(m => m.CaseId).HasColumnName("case_id");
        builder.Property(m => m.CreatedAt).HasColumnName("created_at");
        builder.Property(m => m.PublishedAt).HasColumnName("published_at");
        builder.Property(m => m.SetAsideAt).HasColumnName("set_aside_at");
        builder.Property(m => m.SetAsideReason).HasColumnName("set_aside_reason");
        builder.Property(m => m.TraceParent).HasColumnName("trace_parent");
    }
}

internal sealed class DeadlineTimerConfiguration : IEntityTypeConfiguration<DeadlineTimer>
{
    public void Configure(EntityTypeBuilder<DeadlineTimer> builder)
    {
        builder.ToTable("timers");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(t => t.CaseId).HasColumnName("case_id");
        builder.HasOne<CaseRecord>().WithMany().HasForeignKey(t => t.CaseId);
        builder.Property(t => t.TaskId).HasColumnName("task_id");
        builder.HasOne<DepartmentTask>().WithMany().HasForeignKey(t => t.TaskId);
        builder.Property(t => t.Kind).HasColumnName("kind");
        builder.Property(t => t.StepId).HasColumnName("step_id");
        builder.Property(t => t.Level).HasColumnName("level");
        builder.Property(t => t.DueAt).HasColumnName("due_at");
        builder.Property(t => t.CreatedAt).HasColumnName("created_at");
        builder.Property(t => t.FiredAt).HasColumnName("fired_at");
        builder.Property(t => t.CancelledAt).HasColumnName("cancelled_at");
        builder.Property(t => t.Attempts).HasColumnName("attempts");
        builder.Property(t => t.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(t => t.FailedAt).HasColumnName("failed_at");
        builder.Property(t => t.LastError).HasColumnName("last_error");
    }
}

internal sealed class CaseRatingConfiguration : IEntityTypeConfiguration<CaseRating>
{
    public void Configure(EntityTypeBuilder<CaseRating> builder)
    {
        builder.ToTable("case_ratings");
        builder.HasKey(r => r.CaseId);
        builder.Property(r => r.CaseId).HasColumnName("case_id");
        builder.HasOne<CaseRecord>().WithOne().HasForeignKey<CaseRating>(r => r.CaseId);
        builder.Property(r => r.Score).HasColumnName("score");
        builder.Property(r => r.Comment).HasColumnName("comment");
        builder.Property(r => r.RatedAt).HasColumnName("rated_at");
        builder.Property(r => r.RectificationCaseId).HasColumnName("rectification_case_id");
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<Audit.AuditEntry>
{
    public void Configure(EntityTypeBuilder<Audit.AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(a => a.OccurredAt).HasColumnName("occurred_at");
        builder.Property(a => a.Actor).HasColumnName("actor");
        builder.Property(a => a.Role).HasColumnName("role");
        builder.Property(a => a.Action).HasColumnName("action");
        builder.Property(a => a.TargetType).HasColumnName("target_type");
        builder.Property(a => a.TargetId).HasColumnName("target_id");
        builder.Property(a => a.ClientAddress).HasColumnName("client_address");
        builder.Property(a => a.Detail).HasColumnName("detail");
    }
}

internal sealed class StaffAccountConfiguration : IEntityTypeConfiguration<Accounts.StaffAccount>
{
    public void Configure(EntityTypeBuilder<Accounts.StaffAccount> builder)
    {
        builder.Property(a => a.Department).HasColumnName("department");
        builder.Property(a => a.Hall).HasColumnName("hall");
        builder.Property(a => a.DisabledAt).HasColumnName("disabled_at");
    }
}

internal sealed class RefreshTokenFamilyConfiguration : IEntityTypeConfiguration<Accounts.RefreshTokenFamily>
{
    public void Configure(EntityTypeBuilder<Accounts.RefreshTokenFamily> builder)
    {
        builder.ToTable("refresh_token_families");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).HasColumnName("id");
        builder.Property(f => f.UserId).HasColumnName("user_id");
        builder.HasOne<Accounts.StaffAccount>().WithMany().HasForeignKey(f => f.UserId);
        builder.Property(f => f.CurrentTokenId).HasColumnName("current_token_id");
        builder.Property(f => f.CreatedAt).HasColumnName("created_at");
        builder.Property(f => f.ExpiresAt).HasColumnName("expires_at");
        builder.Property(f => f.RevokedAt).HasColumnName("revoked_at");
        builder.Property(f => f.RevokedReason).HasColumnName("revoked_reason");
    }
}

internal sealed class IncidentReportConfiguration : IEntityTypeConfiguration<IncidentReport>
{
    public void Configure(EntityTypeBuilder<IncidentReport> builder)
    {
        builder.ToTable("incident_reports");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(r => r.CaseId).HasColumnName("case_id");
        builder.HasOne<CaseRecord>().WithMany().HasForeignKey(r => r.CaseId);
        builder.Property(r => r.Event).HasColumnName("event");
        builder.Property(r => r.Place).HasColumnName("place");
        builder.Property(r => r.Source).HasColumnName("source");
        builder.Property(r => r.Form).HasColumnName("form").HasColumnType("jsonb");
        builder.Property(r => r.ReceivedAt).HasColumnName("received_at");
        builder.Property(r => r.IdempotencyKey).HasColumnName("idempotency_key");
    }
}

internal sealed class NotificationRecordConfiguration : IEntityTypeConfiguration<NotificationRecord>
{
    public void Configure(EntityTypeBuilder<NotificationRecord> builder)
    {
        builder.ToTable("notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).HasColumnName("id");
        builder.Property(n => n.CaseId).HasColumnName("case_id");
        builder.HasOne<CaseRecord>().WithMany().HasForeignKey(n => n.CaseId);
        builder.Property(n => n.StepId).HasColumnName("step_id");
        builder.Property(n => n.Recipient).HasColumnName("recipient");
        builder.Property(n => n.Address).HasColumnName("address");
        builder.Property(n => n.MessageZh).HasColumnName("message_zh");
        builder.Property(n => n.MessageEn).HasColumnName("message_en");
        builder.Property(n => n.CreatedAt).HasColumnName("created_at");
        builder.Property(n => n.DeliveredAt).HasColumnName("delivered_at");
        builder.Property(n => n.Channel).HasColumnName("channel");
        builder.Property(n => n.DeliveredChannels).HasColumnName("delivered_channels");
        builder.Property(n => n.Attempts).HasColumnName("attempts");
        builder.Property(n => n.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(n => n.LastError).HasColumnName("last_error");
        builder.Property(n => n.FailedAt).HasColumnName("failed_at");
    }
}

internal sealed class SupplementRecordConfiguration : IEntityTypeConfiguration<SupplementRecord>
{
    public void Configure(EntityTypeBuilder<SupplementRecord> builder)
    {
        builder.ToTable("supplements");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(s => s.CaseId).HasColumnName("case_id");
        builder.HasOne<CaseRecord>().WithMany().HasForeignKey(s => s.CaseId);
        builder.Property(s => s.ChangedFields).HasColumnName("changed_fields");
        builder.Property(s => s.Attachments).HasColumnName("attachments").HasColumnType("jsonb");
        builder.Property(s => s.Note).HasColumnName("note");
        builder.Property(s => s.SubmittedBy).HasColumnName("submitted_by");
        builder.Property(s => s.SubmittedAt).HasColumnName("submitted_at");
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasColumnName("id").UseIdentityByDefaultColumn();
        builder.Property(k => k.FriendlyName).HasColumnName("friendly_name");
        builder.Property(k => k.Xml).HasColumnName("xml");
    }
}
