using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OneThing.Processing.Deadlines;

/// <summary>延期: a reviewer's request for more working days on a task, and the supervisor's decision on it.</summary>
public sealed class ExtensionRequest
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public required Guid TaskId { get; init; }
    public required string Department { get; init; }
    public required string RequestedBy { get; init; }
    public required int RequestedDays { get; init; }

    /// <summary>The reviewer's own words: kept here and in the case history, never in logs or bus messages.</summary>
    public required string Reason { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public required string State { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public int? GrantedDays { get; set; }
    public string? DecisionReason { get; set; }
    public DateTimeOffset? DueBefore { get; set; }
    public DateTimeOffset? DueAfter { get; set; }
}

public static class ExtensionStates
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Refused = "refused";

    public static readonly IReadOnlyList<string> All = [Pending, Approved, Refused];
}

internal sealed class ExtensionRequestConfiguration : IEntityTypeConfiguration<ExtensionRequest>
{
    public void Configure(EntityTypeBuilder<ExtensionRequest> builder)
    {
        builder.ToTable("extension_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id");
        builder.Property(r => r.CaseId).HasColumnName("case_id");
        builder.Property(r => r.TaskId).HasColumnName("task_id");
        builder.Property(r => r.Department).HasColumnName("department");
        builder.Property(r => r.RequestedBy).HasColumnName("requested_by");
        builder.Property(r => r.RequestedDays).HasColumnName("requested_days");
        builder.Property(r => r.Reason).HasColumnName("reason");
        builder.Property(r => r.RequestedAt).HasColumnName("requested_at");
        builder.Property(r => r.State).HasColumnName("state");
        builder.Property(r => r.DecidedBy).HasColumnName("decided_by");
        builder.Property(r => r.DecidedAt).HasColumnName("decided_at");
        builder.Property(r => r.GrantedDays).HasColumnName("granted_days");
        builder.Property(r => r.DecisionReason).HasColumnName("decision_reason");
        builder.Property(r => r.DueBefore).HasColumnName("due_before");
        builder.Property(r => r.DueAfter).HasColumnName("due_after");
    }
}
