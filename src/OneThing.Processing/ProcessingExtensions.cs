using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Hosting;
using OneThing.Processing.Incidents;
using OneThing.Processing.Notifications;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;
using OneThing.Processing.Supervision;
using OneThing.Processing.Workflows;

namespace OneThing.Processing;

public static class ProcessingExtensions
{
    public const string ConnectionStringName = "OneThing";

    /// <summary>Store, workflows, engine processing, bus and relays: everything but the HTTP surface.</summary>
    public static IHostApplicationBuilder AddOneThingProcessing(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.Configure<ProcessingOptions>(configuration.GetSection(ProcessingOptions.Section));
        services.TryAddSingleton(TimeProvider.System);

        var workflowDirectory = WorkflowRegistry.LocateDirectory(configuration["Workflows:Directory"]);
        var (departments, workflows) = WorkflowLoader.LoadDirectory(workflowDirectory);
        services.AddSingleton(new WorkflowRegistry(departments, workflows));
        services.Configure<DeadlineOptions>(configuration.GetSection(DeadlineOptions.Section));
        var calendarDirectory = configuration[$"{DeadlineOptions.Section}:CalendarDirectory"] ?? Path.Combine(workflowDirectory, "calendars");
        services.AddSingleton(BusinessCalendarLoader.LoadDirectory(calendarDirectory));
        services.AddSingleton<SlaClock>();

        builder.AddOneThingDatabase(Path.GetDirectoryName(workflowDirectory)!);

        services.AddScoped<CaseWriter>();
        services.AddScoped<FileCase>();
        services.AddScoped<DecideTask>();
        services.AddScoped<ClaimTask>();
        services.AddScoped<AcknowledgeTask>();
        services.AddScoped<ReassignTask>();
        services.AddScoped<UrgeCase>();
        services.AddScoped<RequestSupplement>();
        services.AddScoped<SubmitSupplement>();
        services.AddScoped<WithdrawCase>();
        services.AddScoped<ReportIncident>();
        services.TryAddSingleton<INotificationChannel, LoggingNotificationChannel>();
        services.AddSingleton<OutboxSignal>();

        var options = configuration.GetSection(ProcessingOptions.Section).Get<ProcessingOptions>() ?? new ProcessingOptions();
        services.AddOneThingBus(departments, options);
        if (options.OutboxRelayEnabled)
        {
            services.AddHostedService<OutboxRelay>();
        }

        services.AddHostedService<UnacknowledgedTaskResender>();
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweeper>());
        return builder;
    }

    private static void AddOneThingDatabase(this IHostApplicationBuilder builder, string repositoryRoot)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var directory = builder.Configuration["EmbeddedPostgres:Directory"] ?? Path.Combine(repositoryRoot, ".data", "postgres");
            var embedded = new EmbeddedPostgres(directory, builder.Configuration["EmbeddedPostgres:Database"] ?? "onething");
            builder.Services.AddSingleton(embedded);
            connectionString = embedded.ConnectionString;
        }

        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddDbContext<OneThingDbContext>((sp, db) => db.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<DatabaseMigrator>();
        // Registered before the bus so it starts first and stops last.
        builder.Services.AddHostedService<DatabaseStartup>();
    }

    private static void AddOneThingBus(this IServiceCollection services, DepartmentCatalogue departments, ProcessingOptions options)
    {
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<DepartmentInboxConsumer>();
            bus.AddConsumer<SimulatedDepartmentSystem>();
            bus.AddConsumer<DepartmentResultConsumer>();
            bus.AddConsumer<NotificationConsumer>();

            bus.UsingInMemory((context, transport) =>
            {
                transport.UseMessageRetry(retry => retry.Intervals(100, 500, 2000, 5000));
                transport.ReceiveEndpoint(DepartmentQueues.CaseEngine, endpoint => endpoint.ConfigureConsumer<DepartmentResultConsumer>(context));
                transport.ReceiveEndpoint(NotificationConsumer.Queue, endpoint => endpoint.ConfigureConsumer<NotificationConsumer>(context));
                if (!options.DepartmentConsumersEnabled)
                {
                    return;
                }

                foreach (var department in departments.All)
                {
                    transport.ReceiveEndpoint(DepartmentQueues.Inbox(department.Code),
                        endpoint => endpoint.ConfigureConsumer<DepartmentInboxConsumer>(context));
                    transport.ReceiveEndpoint(DepartmentQueues.System(department.Code),
                        endpoint => endpoint.ConfigureConsumer<SimulatedDepartmentSystem>(context));
                }
            });
        });
        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true;
            host.StopTimeout = TimeSpan.FromSeconds(10);
        });
    }
}
