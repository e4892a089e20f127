using System.Text;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Accounts;
using OneThing.Processing.Attachments;
using OneThing.Processing.Audit;

namespace OneThing.Processing.Persistence;

public sealed class OneThingDbContext(DbContextOptions<OneThingDbContext> options)
    : IdentityDbContext<StaffAccount, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public DbSet<WorkflowVersion> WorkflowVersions => Set<WorkflowVersion>();
    public DbSet<CaseRecord> Cases => Set<CaseRecord>();
    public DbSet<CaseEventRecord> CaseEvents => Set<CaseEventRecord>();
    public DbSet<DepartmentTask> DepartmentTasks => Set<DepartmentTask>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<DeadlineTimer> Timers => Set<DeadlineTimer>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<CaseRating> CaseRatings => Set<CaseRating>();
    public DbSet<IncidentReport> IncidentReports => Set<IncidentReport>();
    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();
    public DbSet<SupplementRecord> Supplements => Set<SupplementRecord>();
    public DbSet<Deadlines.ExtensionRequest> ExtensionRequests => Set<Deadlines.ExtensionRequest>();
    public DbSet<AttachmentRecord> Attachments => Set<AttachmentRecord>();
    public DbSet<AttachmentContent> AttachmentContents => Set<AttachmentContent>();
    public DbSet<RefreshTokenFamily> RefreshTokenFamilies => Set<RefreshTokenFamily>();
    public DbSet<Elders.EnrolledElder> EnrolledElders => Set<Elders.EnrolledElder>();

    /// <summary>Set by <see cref="SaveAndCommit.SaveAndCommitAsync"/> around its save, read by <see cref="PlainBatchSave"/>.</summary>
    internal BatchCommit BatchCommit { get; set; }

    /// <summary>The data-protection key ring, shared by every API node so that each accepts the others' tokens and cookies.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        NameIdentityTablesInSnakeCase(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OneThingDbContext).Assembly);
    }

    /// <summary>Identity's tables follow the schema's conventions (0030_identity.sql) instead of AspNetUsers and PascalCase.</summary>
    private static void NameIdentityTablesInSnakeCase(ModelBuilder modelBuilder)
    {
        var tables = new Dictionary<Type, string>
        {
            [typeof(StaffAccount)] = "accounts",
            [typeof(IdentityRole)] = "roles",
            [typeof(IdentityUserRole<string>)] = "account_roles",
            [typeof(IdentityUserClaim<string>)] = "account_claims",
            [typeof(IdentityUserLogin<string>)] = "account_logins",
            [typeof(IdentityUserToken<string>)] = "account_tokens",
            [typeof(IdentityRoleClaim<string>)] = "role_claims",
        };
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => tables.ContainsKey(e.ClrType)).ToList())
        {
            entity.SetTableName(tables[entity.ClrType]);
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName($"pk_{tables[entity.ClrType]}_{string.Join("_", key.Properties.Select(p => SnakeCase(p.Name)))}");
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName($"ix_{tables[entity.ClrType]}_{string.Join("_", index.Properties.Select(p => SnakeCase(p.Name)))}");
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
