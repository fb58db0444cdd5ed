using EventBus.PostgreSql.Tests.Server;
using EventBus.Tests.Storage;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>The store contract on PostgreSQL; each test has a schema of its own on the shared private server.</summary>
[Collection(SharedServer.Name)]
public sealed class PostgreSqlEventStoreTests(PostgresServer server) : EventStoreContract
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    protected override Task<IEventStore> CreateStoreAsync() =>
        Task.FromResult<IEventStore>(new PostgreSqlEventStore(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema, TimeProvider = Time, Catalog = Catalog }));
}
