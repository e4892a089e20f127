using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneThing.Engine;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Notifications;

namespace OneThing.Processing.Messaging;

internal static class BusRegistration
{
    public static void AddOneThingBus(this IHostApplicationBuilder builder, ProcessingOptions options)
    {
        var rabbitMq = RabbitMqConnection.FromConfiguration(builder.Configuration);
        var simulateDepartmentSystems = options.SimulateDepartmentSystems ?? rabbitMq is null;
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<DepartmentInboxConsumer>();
            bus.AddConsumer<DepartmentResultConsumer>();
            bus.AddConsumer<NotificationConsumer>();
            if (simulateDepartmentSystems)
            {
                bus.AddConsumer<SimulatedDepartmentSystem>();
            }

            if (rabbitMq is null)
            {
                bus.UsingInMemory((context, transport) => ConfigureEndpoints(context, transport, options, simulateDepartmentSystems));
            }
            else
            {
                bus.UsingRabbitMq((context, transport) =>
                {
                    rabbitMq.Configure(transport);
                    ConfigureEndpoints(context, transport, options, simulateDepartmentSystems);
                });
            }
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            // In memory the bus is up at once; a broker may be down at start, and the host must still come up and
            // say so on /health/ready rather than hang before it listens.
            host.WaitUntilStarted = rabbitMq is null;
            host.StopTimeout = TimeSpan.FromSeconds(10);
        });
    }

    private static void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator transport, ProcessingOptions options,
        bool simulateDepartmentSystems)
    {
        transport.UseMessageRetry(retry => retry.Intervals(options.MessageRetryIntervals ?? ProcessingOptions.DefaultMessageRetryIntervals));
        // Answers are published by department systems, so this queue is bound to their message types.
        transport.ReceiveEndpoint(DepartmentQueues.CaseEngine, endpoint =>
        {
            endpoint.ConcurrentMessageLimit = options.ConsumerConcurrency;
            endpoint.ConfigureConsumer<DepartmentResultConsumer>(context);
        });
        // The rest receive only what the outbox sends to them by name.
        transport.ReceiveEndpoint(NotificationConsumer.Queue, endpoint =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.ConfigureConsumer<NotificationConsumer>(context);
        });
        if (!options.DepartmentConsumersEnabled)
        {
            return;
        }

        var catalogue = context.GetRequiredService<DepartmentCatalogue>();
        // A territorial unit is an inbox like a department (its reviewers decide; it has no system of its own).
        foreach (var code in catalogue.All.Select(department => department.Code).Concat(catalogue.Territory.All.Select(unit => unit.Code)))
        {
            transport.ReceiveEndpoint(DepartmentQueues.Inbox(code), endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                endpoint.ConcurrentMessageLimit = options.ConsumerConcurrency;
                endpoint.ConfigureConsumer<DepartmentInboxConsumer>(context);
            });
        }

        foreach (var department in simulateDepartmentSystems ? catalogue.All : [])
        {
            transport.ReceiveEndpoint(DepartmentQueues.System(department.Code), endpoint =>
            {
                endpoint.ConfigureConsumeTopology = false;
                // Its acknowledgement and answer leave only once the whole request was handled, as a real system's would.
                endpoint.UseInMemoryOutbox(context);
                endpoint.ConfigureConsumer<SimulatedDepartmentSystem>(context);
            });
        }
    }
}
