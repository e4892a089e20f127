using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneThing.Processing;
using OneThing.Processing.Hosting;
using OneThing.Processing.Workflows;

namespace OneThing.Hosting.Development;

public static class DevelopmentDatabaseExtensions
{
    /// <summary>
    /// Runs a private PostgreSQL cluster under the repository's <c>.data/postgres</c> when no connection string is set
    /// and the embedded database is enabled (<c>EmbeddedPostgres:Enabled</c>, on by default in Development only), and
    /// points the service at it. Call before the store is added.
    /// </summary>
    public static IHostApplicationBuilder AddEmbeddedPostgresWhenEnabled(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var enabled = configuration.GetValue<bool?>("EmbeddedPostgres:Enabled") ?? builder.Environment.IsDevelopment();
        if (!enabled || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ProcessingExtensions.ConnectionStringName)))
        {
            return builder;
        }

        var repositoryRoot = Path.GetDirectoryName(WorkflowRegistry.LocateDirectory(configuration["Workflows:Directory"]))!;
        var directory = configuration["EmbeddedPostgres:Directory"] ?? Path.Combine(repositoryRoot, ".data", "postgres");
        var embedded = new EmbeddedPostgres(directory, configuration["EmbeddedPostgres:Database"] ?? "onething");
        configuration[$"ConnectionStrings:{ProcessingExtensions.ConnectionStringName}"] = embedded.ConnectionString;
        builder.Services.AddSingleton<ILocalDatabaseServer>(embedded);
        return builder;
    }
}
