using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OneThing.Processing.Persistence;

/// <summary>
/// The context as <c>dotnet ef dbcontext optimize</c> builds it to write <see cref="CompiledModel"/>: only the model is
/// read, so no database is reached. The command is in the README ("Changing an entity").
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<OneThingDbContext>
{
    public OneThingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<OneThingDbContext>().UseNpgsql("Host=design-time-only").Options);
}
