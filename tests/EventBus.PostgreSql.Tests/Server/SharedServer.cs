namespace EventBus.PostgreSql.Tests.Server;

/// <summary>Test classes in this collection share one private PostgreSQL server, started once.</summary>
[CollectionDefinition(Name)]
public sealed class SharedServer : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
