namespace EventBus.PostgreSql.Tests.Server;

/// <summary>The private PostgreSQL server as an xunit fixture: started before the first test of the collection, removed after the last.</summary>
public sealed class PostgresServer : EventBus.Testing.Brokers.PrivatePostgresServer, IAsyncLifetime
{
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
