using EventBus.PostgreSql.Tests.Server;
using Npgsql;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>
/// Appends that wait together commit together; within the group each request keeps its own outcome: a stream conflict
/// or a value the database refuses fails only its caller.
/// </summary>
[Collection(SharedServer.Name)]
public sealed class GroupCommitTests(PostgresServer server)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task AppendsWaitingTogether_CommitInOneTransaction_AndAStreamConflictFailsOnlyItsCaller()
    {
        await using PostgreSqlEventStore store = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });
        NpgsqlTransaction holding = await HoldTheAppendLockAsync(store);
        EventEnvelope[] plain = [.. Enumerable.Range(0, 40).Select(i => new EventBuilder("order.paid").WithWorkflow("order-" + i).Build())];
        List<Task> appends = [.. plain.Select(e => store.AppendAsync(e, PersistenceLevel.Critical).AsTask())];
        Task<long> winner = store.AppendToStreamAsync("order-1", StreamVersion.NoStream, [new EventBuilder("order.opened").Build()]).AsTask();
        Task<long> loser = store.AppendToStreamAsync("order-1", StreamVersion.NoStream, [new EventBuilder("order.opened").Build()]).AsTask();
        appends.Should().NotContain(append => append.IsCompleted, "the append lock is held");
        await CommitAsync(holding);

        await Task.WhenAll(appends).WaitAsync(Hang);
        (await winner.WaitAsync(Hang)).Should().Be(1);
        (await FluentActions.Awaiting(() => loser.WaitAsync(Hang)).Should().ThrowAsync<StreamVersionConflictException>()).Which.ActualVersion.Should().Be(1);
        (await store.CountAsync()).Should().Be(1 + 40 + 1, "every accepted append is stored, the conflicting one is not");
        (await CountTransactionsAsync(plain)).Should().BeLessThanOrEqualTo(2, "the 40 appends waited together for the lock, so at most the first was written alone");
    }

    [Fact]
    public async Task AnEventTheDatabaseRefuses_FailsOnlyItsCaller_AndTheRestOfItsGroupIsStored()
    {
        await using PostgreSqlEventStore store = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });
        NpgsqlTransaction holding = await HoldTheAppendLockAsync(store);
        EventEnvelope[] good = [.. Enumerable.Range(0, 10).Select(i => new EventBuilder("order.paid").WithWorkflow("order-" + i).Build())];
        List<Task> appends = [.. good.Select(e => store.AppendAsync(e).AsTask())];

        // PostgreSQL's text can not hold a NUL character.
        EventEnvelope bad = new EventBuilder("order.paid").WithWorkflow("bad\0workflow").Build();
        Task refused = store.AppendAsync(bad).AsTask();
        await CommitAsync(holding);

        await Task.WhenAll(appends).WaitAsync(Hang);
        (await FluentActions.Awaiting(() => refused.WaitAsync(Hang)).Should().ThrowAsync<EventStoreException>()).Which.Message.Should().Contain(_schema);
        (await store.CountAsync()).Should().Be(1 + 10);
        (await store.GetAsync(bad.Id)).Should().BeNull();
    }

    [Fact]
    public async Task ALargeBatchWithEventsAlreadyStored_StoresOnlyTheNewOnes_InOrder()
    {
        await using PostgreSqlEventStore store = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });
        EventEnvelope[] first = [.. Enumerable.Range(0, 100).Select(i => new EventBuilder("order.placed").WithWorkflow("order-" + i).Build())];
        EventEnvelope[] next = [.. Enumerable.Range(0, 100).Select(i => new EventBuilder("order.paid").WithWorkflow("order-" + i).Build())];
        await store.AppendBatchAsync(first);

        // Half stored already: the fast write fails on the unique id, and the batch is written again, skipping those.
        await store.AppendBatchAsync([.. first.Skip(50), .. next]);

        (await store.CountAsync()).Should().Be(200);
        (await store.ReadAfterAsync(0, 1_000)).Events.Select(e => e.Id).Should().Equal([.. first.Select(e => e.Id), .. next.Select(e => e.Id)]);
    }

    /// <summary>Opens the application's own transaction and appends in it, which holds the append lock until it commits.</summary>
    private async Task<NpgsqlTransaction> HoldTheAppendLockAsync(PostgreSqlEventStore store)
    {
        NpgsqlConnection connection = new(server.ConnectionString);
        await connection.OpenAsync();
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
        await store.AppendInTransactionAsync(transaction, [new EventBuilder("order.placed").Build()]);
        return transaction;
    }

    private static async Task CommitAsync(NpgsqlTransaction transaction)
    {
        NpgsqlConnection connection = transaction.Connection!;
        await transaction.CommitAsync();
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    /// <summary>Counts the transactions that wrote the events: rows a transaction inserted share its id, xmin.</summary>
    private async Task<long> CountTransactionsAsync(EventEnvelope[] events)
    {
        await using NpgsqlConnection connection = new(server.ConnectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand command = new($"SELECT count(DISTINCT xmin::text) FROM {_schema}.events WHERE id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Id).ToArray() });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
