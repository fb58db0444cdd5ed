using EventBus.PostgreSql.Tests.Server;
using Npgsql;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>
/// A stream is read in one query, decoded as the caller enumerates: the connection goes back to the pool however the
/// enumeration ends, a long stream reads whole, and a failure names the store.
/// </summary>
[Collection(SharedServer.Name)]
public sealed class PostgreSqlStreamReadTests(PostgresServer server)
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task AReadEndedEarly_GivesItsConnectionBack()
    {
        // Two pooled connections (the writer keeps one) and a short wait for one: a read that kept its connection would
        // fail the next one.
        NpgsqlConnectionStringBuilder onePooled = new(server.ConnectionString) { MaxPoolSize = 2, Timeout = 5 };
        await using PostgreSqlEventStore store = Open(onePooled.ConnectionString);
        await store.AppendToStreamAsync("order-1", StreamVersion.NoStream, [.. Enumerable.Range(1, 10).Select(Event)]);

        for (int read = 0; read < 5; read++)
        {
            await foreach (StreamEvent first in store.ReadStreamAsync("order-1"))
            {
                first.Version.Should().Be(1);
                break;
            }
        }

        (await store.GetStreamVersionAsync("order-1")).Should().Be(10);
    }

    [Fact]
    public async Task AStreamLongerThanAQueryPage_ReadsWhole_InVersionOrder()
    {
        await using PostgreSqlEventStore store = Open();
        int length = EventQuery.MaxPageSize + 5;
        await store.AppendToStreamAsync("long", StreamVersion.NoStream, [.. Enumerable.Range(1, length).Select(Event)]);

        List<long> versions = [];
        long sum = 0;
        await foreach (StreamEvent streamEvent in store.ReadStreamAsync("long", fromVersion: 3))
        {
            versions.Add(streamEvent.Version);
            sum += streamEvent.Event.GetData<int>();
        }

        versions.Should().Equal(Enumerable.Range(3, length - 2).Select(v => (long)v));
        sum.Should().Be(Enumerable.Range(3, length - 2).Sum(v => (long)v));
    }

    [Fact]
    public async Task AReadThatFailsOnTheServer_NamesTheStore()
    {
        await using PostgreSqlEventStore store = Open();
        await store.AppendToStreamAsync("order-1", StreamVersion.NoStream, [Event(1)]);
        await using (NpgsqlConnection connection = new(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using NpgsqlCommand drop = new($"ALTER TABLE {_schema}.events RENAME TO events_gone", connection);
            await drop.ExecuteNonQueryAsync();
        }

        Func<Task> read = async () =>
        {
            await foreach (StreamEvent _ in store.ReadStreamAsync("order-1"))
            {
            }
        };

        EventStoreException failure = (await read.Should().ThrowAsync<EventStoreException>()).Which;
        failure.Message.Should().StartWith("Reading the event store").And.Contain($"schema '{_schema}'");
        failure.InnerException.Should().BeAssignableTo<NpgsqlException>();
    }

    [Fact]
    public async Task AStreamRead_KeepsToTheStreamIndex_EvenOnAGenericPlan_InATableOfOneStream()
    {
        // Npgsql prepares the read after a few uses, and the server may then plan it once for any stream and version: it
        // scanned and sorted the whole table when one stream filled it, however few events a read asked for.
        await using PostgreSqlEventStore store = Open();
        await store.AppendToStreamAsync("only", StreamVersion.NoStream, [.. Enumerable.Range(1, 2_000).Select(Event)]);
        await using NpgsqlConnection connection = new(server.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"ANALYZE {_schema}.events; SET plan_cache_mode = force_generic_plan; PREPARE stream_read AS {store.StreamReadSql};");
        string arguments = string.Join(", ", PostgreSqlEventStore.StreamReadArguments("only", 1_990).Select(a => a is string text ? $"'{text}'" : Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)));

        await using NpgsqlCommand explain = new($"EXPLAIN EXECUTE stream_read({arguments})", connection);
        List<string> plan = [];
        await using (NpgsqlDataReader reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        string.Join('\n', plan).Should().Contain("Index Scan using ix_events_stream").And.NotContain("Sort").And.NotContain("Seq Scan");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using NpgsqlCommand command = new(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static EventEnvelope Event(int number) => new EventBuilder("order.changed").WithData(number).Build();

    private PostgreSqlEventStore Open(string? connectionString = null) =>
        new(new PostgreSqlEventStoreOptions { ConnectionString = connectionString ?? server.ConnectionString, Schema = _schema });
}
