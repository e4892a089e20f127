using Microsoft.EntityFrameworkCore;

namespace OneThing.Processing.Persistence;

public sealed class OneThingDbContext(DbContextOptions<OneThingDbContext> options) : DbContext(options)
{
    public DbSet<WorkflowVersion> WorkflowVersions => Set<WorkflowVersion>();
    public DbSet<CaseRecord> Cases => Set<CaseRecord>();
    public DbSet<CaseEventRecord> CaseEvents => Set<CaseEventRecord>();
    public DbSet<DepartmentTask> DepartmentTasks => Set<DepartmentTask>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<DeadlineTimer> Timers => Set<DeadlineTimer>();
    public DbSet<IncidentReport> IncidentReports => Set<IncidentReport>();
    public DbSet<NotificationRecord> Notifications => Set<NotificationRecord>();
    public DbSet<SupplementRecord> Supplements => Set<SupplementRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OneThingDbContext).Assembly);
}
