namespace OneThing.Api.Tests;

/// <summary>
/// The benchmark tool's broker node (<see cref="OneThing.Bench.Infrastructure.Processes.RabbitMqServer"/>) as an xunit fixture:
/// xunit starts and ends a collection fixture only through IAsyncLifetime, which the Bench, free of xunit, cannot
/// implement, and hands it only to constructor parameters of exactly the fixture's type.
/// </summary>
/// <remarks>
/// The same name on purpose, in the tests' root namespace: every test namespace finds this type before one imported
/// with a using directive, so a test taking <c>RabbitMqServer broker</c> gets the started fixture, with or without
/// <c>using OneThing.Bench.Infrastructure.Processes;</c>, and never an ambiguity.
/// </remarks>
public sealed class RabbitMqServer : global::OneThing.Bench.Infrastructure.Processes.RabbitMqServer, IAsyncLifetime;
