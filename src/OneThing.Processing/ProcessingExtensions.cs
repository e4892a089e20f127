using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using OneThing.Engine;
using OneThing.Processing.Attachments;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Hosting;
using OneThing.Processing.Incidents;
using OneThing.Processing.Notifications;
using OneThing.Processing.Observability;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;
using OneThing.Processing.Persistence.CompiledModel;
using OneThing.Processing.Supervision;
using OneThing.Processing.Workflows;

namespace OneThing.Processing;

public static class ProcessingExtensions
{
    public const string ConnectionStringName = "OneThing";

    /// <summary>An API process: the store always, and the background work too unless workers run it elsewhere.</summary>
    public static IHostApplicationBuilder AddOneThingProcessing(this IHostApplicationBuilder builder, HostingRole role)
    {
        builder.AddOneThingStore();
        if (role == HostingRole.All)
        {
            builder.AddOneThingWorkers();
        }

        return builder;
    }

    /// <summary>Everything an API node needs to take commands: store, workflows, calendar and the use cases.</summary>
    public static IHostApplicationBuilder AddOneThingStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<ProcessingOptions>().Bind(configuration.GetSection(ProcessingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProcessingOptions>, ProcessingOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        var workflowDirectory = WorkflowRegistry.LocateDirectory(configuration["Workflows:Directory"]);
        var (departments, workflows) = WorkflowLoader.LoadDirectory(workflowDirectory);
        services.AddSingleton(departments);
        services.AddSingleton(new WorkflowRegistry(departments, workflows));
        services.Configure<DeadlineOptions>(configuration.GetSection(DeadlineOptions.Section));
        var calendarDirectory = configuration[$"{DeadlineOptions.Section}:CalendarDirectory"] ?? Path.Combine(workflowDirectory, "calendars");
        services.AddSingleton(BusinessCalendarLoader.LoadDirectory(calendarDirectory));
        services.AddSingleton<SlaClock>();

        builder.AddOneThingDatabase();
        services.AddSingleton<CalendarCoverage>();
        services.AddHostedService<CalendarCoverageStartupWarning>();
        services.AddHealthChecks().AddCheck<CalendarCoverageHealthCheck>("calendar", HealthStatus.Degraded, [ServiceHosting.ReadyTag]);

        services.AddScoped<CaseCommands>();
        services.AddScoped<EngineEffects>();
        services.AddScoped<CaseHistory>();
        services.AddScoped<Outbox>();
        services.AddScoped<DeadlineScheduler>();
        services.AddScoped<TimerFiring>();
        services.AddScoped<CaseClock>();
        services.AddScoped<RequestExtension>();
        services.AddScoped<JoinDepartment>();
        services.AddScoped<DecideExtension>();
        services.AddScoped<MigrateCases>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<FileCase>();
        services.AddScoped<Ratings.OpenRatingRectification>();
        services.AddScoped<Ratings.RateCase>();
        services.AddScoped<Applicants.ApplicantLookUp>();
        services.AddSingleton<Applicants.CaseNumberLock>();
        services.AddScoped<DecideTask>();
        services.AddScoped<ClaimTask>();
        services.AddScoped<AcknowledgeTask>();
        services.AddScoped<ReassignTask>();
        services.AddScoped<UrgeCase>();
        services.AddScoped<RequestSupplement>();
        services.AddScoped<SubmitSupplement>();
        services.AddScoped<WithdrawCase>();
        services.AddScoped<ReportIncident>();
        services.AddScoped<Elders.CompleteFromRegister>();
        services.AddScoped<Elders.EnrolElder>();
        services.AddScoped<Elders.UpdateEnrolment>();
        services.AddScoped<Elders.EndEnrolment>();
        services.AddOneThingAttachments();
        services.AddSingleton<OutboxSignal>();
        return builder;
    }

    /// <summary>
    /// The work that happens off the request path: the bus and its consumers, the outbox relay, re-sending what was
    /// not acknowledged or answered, and the deadline sweep. Any number of processes may run it side by side.
    /// </summary>
    public static IHostApplicationBuilder AddOneThingWorkers(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = ProcessingOptionsValidator.EnsureValid(
            builder.Configuration.GetSection(ProcessingOptions.Section).Get<ProcessingOptions>() ?? new ProcessingOptions());
        builder.AddOneThingNotifications();
        builder.AddOneThingBus(options);
        if (options.OutboxRelayEnabled)
        {
            services.AddHostedService<OutboxCommitListener>();
            services.AddHostedService<OutboxRelay>();
        }

        services.AddHostedService<UnacknowledgedTaskResender>();
        services.AddHostedService<UndeliveredNotificationResender>();
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweeper>());
        return builder;
    }

    private const int AutoPreparedStatementsPerConnection = 100;

    private static void AddOneThingDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        // A production node that lost its setting must not quietly start a database of its own on local disk: the
        // development hosting piece fills the setting in only where it is enabled, before this runs.
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set. Outside Development the service needs PostgreSQL: set " +
                $"ConnectionStrings__{ConnectionStringName}=\"Host=…;Database=…;Username=…;Password=…\", or EmbeddedPostgres__Enabled=true " +
                $"to run the embedded PostgreSQL (environment '{builder.Environment.EnvironmentName}').");
        }

        builder.Services.AddSingleton(_ => OpenDataSource(connectionString));
        builder.AddOneThingDomainMetrics();
        // Pooled: a context per request or message otherwise builds its options and EF's services for it anew, a sixth of
        // what a filing allocated in the profile. Everything it is configured with is a singleton.
        // The compiled model (Persistence/CompiledModel, generated from the entity configurations) spares each start
        // building the model from them: 0.6 s of a 3.9 s cold start on this machine.
        builder.Services.AddDbContextPool<OneThingDbContext>((sp, db) => db
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .UseModel(OneThingDbContextModel.Instance)
            .AddInterceptors(RowLockClause.Instance)
            .AddOneThingInterceptors(sp)
            .AddInterceptors(PlainBatchSave.Instance));
        builder.Services.AddSingleton<DatabaseMigrator>();
        // Registered before the bus so it starts first and stops last.
        builder.Services.AddHostedService<DatabaseStartup>();
    }

    /// <summary>
    /// Statements prepared on the server once they have run a few times: a command runs the same dozen statements for
    /// every case, and unprepared each one is parsed and planned again (in PostgreSQL's statement log, 0.14–0.21 ms for
    /// the sweep's case lock and timer claim, 0.02–0.04 ms prepared). A connection string that sets its own Max Auto
    /// Prepare keeps it.
    /// </summary>
    private static NpgsqlDataSource OpenDataSource(string connectionString)
    {
        var dataSource = new NpgsqlDataSourceBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            dataSource.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatementsPerConnection;
        }

        return dataSource.ConfigureOneThingTracing().Build();
    }
}
