namespace OneThing.Api.Tests.Scaling;

/// <summary>
/// Tests with several OneThing processes on one RabbitMQ node, started once for the collection. They restart the
/// broker, so they run one after another; the collection runs beside the in-process integration tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ScalingCollection : ICollectionFixture<RabbitMqServer>
{
    public const string Name = "scaling";
}
