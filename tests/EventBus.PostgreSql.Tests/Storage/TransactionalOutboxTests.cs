using EventBus.PostgreSql.Tests.Server;
using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>
/// The application writes its own row and its events in one transaction: rolled back, neither exists and nothing is sent;
/// committed, both exist and the relay sends each event once.
/// </summary>
[Collection(SharedServer.Name)]
public sealed class TransactionalOutboxTests(PostgresServer server)
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task EventsOfARolledBackTransaction_AreNeitherStoredNorSent_AndThoseOfACommittedOneAreSentOnce()
    {
        InMemoryExternalPublisher publisher = new("memory");
        using IHost host = await OutboxHost.StartAsync(server.ConnectionString, _schema, publisher);
        PostgreSqlEventStore store = (PostgreSqlEventStore)host.Services.GetRequiredService<IEventStore>();
        await using NpgsqlDataSource database = NpgsqlDataSource.Create(server.ConnectionString);
        await ExecuteAsync(database, null, $"CREATE TABLE {_schema}_orders (id text PRIMARY KEY)");
        EventEnvelope abandoned = new EventBuilder("order.placed").WithWorkflow("order-1").Build();
        EventEnvelope placed = new EventBuilder("order.placed").WithWorkflow("order-2").Build();

        await using (NpgsqlConnection connection = await database.OpenConnectionAsync())
        await using (NpgsqlTransaction transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(database, transaction, $"INSERT INTO {_schema}_orders VALUES ('order-1')");
            await store.AppendInTransactionAsync(transaction, [abandoned]);
            await transaction.RollbackAsync();
        }

        await using (NpgsqlConnection connection = await database.OpenConnectionAsync())
        await using (NpgsqlTransaction transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(database, transaction, $"INSERT INTO {_schema}_orders VALUES ('order-2')");
            await store.AppendInTransactionAsync(transaction, [placed]);
            await transaction.CommitAsync();
        }

        // A later event through the bus: once it is sent, everything before it in the log was read.
        EventEnvelope later = new EventBuilder("order.shipped").WithWorkflow("order-2").Build();
        await host.Services.GetRequiredService<IEventBus>().PublishAsync(later);
        await publisher.WaitForSentAsync(2);

        publisher.Sent.Select(e => e.Id).Should().Equal([placed.Id, later.Id], "the committed event is sent once, in log order, and the rolled-back one never");
        (await store.GetAsync(abandoned.Id)).Should().BeNull();
        (await store.GetAsync(placed.Id)).Should().NotBeNull();
        (await ScalarAsync(database, $"SELECT string_agg(id, ',') FROM {_schema}_orders")).Should().Be("order-2");
        await host.StopAsync();
    }

    [Fact]
    public async Task AFinishedTransaction_IsRefused()
    {
        await using PostgreSqlEventStore store = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });
        await using NpgsqlConnection connection = new(server.ConnectionString);
        await connection.OpenAsync();
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
        await transaction.CommitAsync();

        await FluentActions.Awaiting(async () => await store.AppendInTransactionAsync(transaction, [new EventBuilder("order.placed").Build()]))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*already committed or rolled back*");
        await transaction.DisposeAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, NpgsqlTransaction? transaction, string sql)
    {
        if (transaction is null)
        {
            await using NpgsqlCommand standalone = database.CreateCommand(sql);
            await standalone.ExecuteNonQueryAsync();
            return;
        }

        await using NpgsqlCommand command = new(sql, transaction.Connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(NpgsqlDataSource database, string sql)
    {
        await using NpgsqlCommand command = database.CreateCommand(sql);
        return (string?)await command.ExecuteScalarAsync();
    }
}
