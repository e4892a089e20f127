using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Attachments;

internal sealed class AttachmentRecordConfiguration : IEntityTypeConfiguration<AttachmentRecord>
{
    public void Configure(EntityTypeBuilder<AttachmentRecord> builder)
    {
        builder.ToTable("attachments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(a => a.FileName).HasColumnName("file_name");
        builder.Property(a => a.ContentType).HasColumnName("content_type");
        builder.Property(a => a.Size).HasColumnName("size");
        builder.Property(a => a.Sha256).HasColumnName("sha256");
        builder.Property(a => a.UploadedBy).HasColumnName("uploaded_by");
        builder.Property(a => a.UploadedAt).HasColumnName("uploaded_at");
        builder.Property(a => a.CaseId).HasColumnName("case_id");
        builder.HasOne<CaseRecord>().WithMany().HasForeignKey(a => a.CaseId);
        builder.Property(a => a.Field).HasColumnName("field");
        builder.Property(a => a.StepIds).HasColumnName("step_ids");
    }
}

internal sealed class AttachmentContentConfiguration : IEntityTypeConfiguration<AttachmentContent>
{
    public void Configure(EntityTypeBuilder<AttachmentContent> builder)
    {
        builder.ToTable("attachment_contents");
        builder.HasKey(c => c.AttachmentId);
        builder.Property(c => c.AttachmentId).HasColumnName("attachment_id").ValueGeneratedNever();
        builder.HasOne<AttachmentRecord>().WithOne().HasForeignKey<AttachmentContent>(c => c.AttachmentId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Content).HasColumnName("content");
    }
}
