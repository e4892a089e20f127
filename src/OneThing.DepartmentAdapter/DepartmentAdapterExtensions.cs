using MassTransit;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OneThing.Telemetry;

namespace OneThing.DepartmentAdapter;

public static class DepartmentAdapterExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5082";

    public static WebApplicationBuilder AddDepartmentAdapter(this WebApplicationBuilder builder)
    {
        var address = RabbitMqAddress.Parse(builder.Configuration.GetConnectionString(RabbitMqAddress.ConnectionStringName));
        var options = builder.Configuration.GetSection(DepartmentAdapterOptions.Section).Get<DepartmentAdapterOptions>() ?? new DepartmentAdapterOptions();
        options.Validate();

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddOneThingTelemetry("onething-department-adapter");
        var services = builder.Services;
        services.Configure<DepartmentAdapterOptions>(builder.Configuration.GetSection(DepartmentAdapterOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DepartmentRecords>();
        services.AddHealthChecks();
        services.AddReceiveObserver<FailedMessageLogger>();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<DepartmentSystem>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(address.Host, address.Port, address.VirtualHost, host =>
                {
                    host.Username(address.Username);
                    host.Password(address.Password);
                    if (address.UseTls)
                    {
                        host.UseSsl(_ => { });
                    }
                });

                foreach (var department in options.EffectiveDepartments)
                {
                    rabbit.ReceiveEndpoint(DepartmentSystemQueue.For(department), endpoint =>
                    {
                        // The engine sends each task to its department's queue; binding the queue to the message-type
                        // exchanges as well would hand every department every published request.
                        endpoint.ConfigureConsumeTopology = false;
                        endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                        endpoint.PrefetchCount = options.ConcurrentMessageLimit * 2;
                        // Retry outside the outbox: each attempt starts with an empty outbox, so a failed attempt
                        // publishes nothing.
                        endpoint.UseMessageRetry(retry =>
                        {
                            retry.Ignore<UnanswerableRequestException>();
                            retry.Intervals(200, 1000, 5000, 15000);
                        });
                        endpoint.UseInMemoryOutbox(context);
                        endpoint.ConfigureConsumer<DepartmentSystem>(context);
                    });
                }
            });
        });
        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = false;
            host.StopTimeout = TimeSpan.FromSeconds(10);
        });

        builder.Services.AddHostedService(sp => new StartupBanner(address, options, sp.GetRequiredService<ILogger<StartupBanner>>()));
        return builder;
    }

    public static WebApplication MapDepartmentAdapterHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            // MassTransit reports Degraded while an endpoint is not connected yet: not ready to take work.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }

    private sealed class StartupBanner(RabbitMqAddress address, DepartmentAdapterOptions options, ILogger<StartupBanner> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogInformation("Playing the systems of {Departments} on {Broker} (answer delay {AnswerDelay}, rejecting steps {RejectSteps})",
                string.Join(", ", options.EffectiveDepartments), address, options.AnswerDelay,
                options.RejectSteps.Length == 0 ? "none" : string.Join(", ", options.RejectSteps));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
