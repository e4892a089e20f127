namespace OneThing.Api.Tests.Infrastructure;

/// <summary>The API tests share one PostgreSQL cluster; xUnit finds collection definitions only in the test assembly itself.</summary>
[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "integration";
}
