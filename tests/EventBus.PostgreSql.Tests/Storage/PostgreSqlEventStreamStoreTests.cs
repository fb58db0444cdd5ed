using EventBus.PostgreSql.Tests.Server;
using EventBus.Tests.Storage;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>The stream contract on PostgreSQL: each opened store has its own connection pool on one schema, as separate instances would.</summary>
[Collection(SharedServer.Name)]
public sealed class PostgreSqlEventStreamStoreTests(PostgresServer server) : EventStreamStoreContract
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    protected override Task<IEventStore> OpenStoreAsync() =>
        Task.FromResult<IEventStore>(new PostgreSqlEventStore(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema, TimeProvider = Time }));
}
