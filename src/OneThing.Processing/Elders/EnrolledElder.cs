using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OneThing.Processing.Elders;

/// <summary>
/// An elder living alone whose home has a smart water meter (甬易养), enrolled by civil affairs. The meter's alerts
/// name only the meter; the case learns the rest from here. Name, address and family phone are personal data.
/// </summary>
public sealed class EnrolledElder
{
    public required string MeterId { get; init; }
    public required string Name { get; set; }
    public required string Address { get; set; }

    /// <summary>The grid (网格) of the home: the visit of an alert goes to this grid's worker.</summary>
    public required string Grid { get; set; }
    public required string FamilyPhone { get; set; }
    public required DateOnly EnrolledOn { get; set; }

    /// <summary>Set when the enrolment ended (the elder moved, went into care, died); alerts from the meter are then refused.</summary>
    public DateOnly? EndedOn { get; set; }
    public string? EndReason { get; set; }
    public required DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

internal sealed class EnrolledElderConfiguration : IEntityTypeConfiguration<EnrolledElder>
{
    public void Configure(EntityTypeBuilder<EnrolledElder> builder)
    {
        builder.ToTable("enrolled_elders");
        builder.HasKey(e => e.MeterId);
        builder.Property(e => e.MeterId).HasColumnName("meter_id");
        builder.Property(e => e.Name).HasColumnName("name");
        builder.Property(e => e.Address).HasColumnName("address");
        builder.Property(e => e.Grid).HasColumnName("grid");
        builder.Property(e => e.FamilyPhone).HasColumnName("family_phone");
        builder.Property(e => e.EnrolledOn).HasColumnName("enrolled_on");
        builder.Property(e => e.EndedOn).HasColumnName("ended_on");
        builder.Property(e => e.EndReason).HasColumnName("end_reason");
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at");
        builder.Property(e => e.UpdatedBy).HasColumnName("updated_by");
    }
}
