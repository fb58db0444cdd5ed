using EventBus.PostgreSql.Tests.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>
/// A reader waiting for appends is woken by another instance's commit (and by the application's own transaction), not
/// by its timeout: the waits below would last an hour.
/// </summary>
[Collection(SharedServer.Name)]
public sealed class AppendNotificationTests(PostgresServer server)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task AWaitingReader_IsWokenByAnotherInstancesCommit()
    {
        await using PostgreSqlEventStore writer = Open();
        await using PostgreSqlEventStore reader = Open();
        await writer.AppendAsync(new EventBuilder("order.placed").Build());

        // Committed before the reader listened: the wait returns at once.
        await reader.WaitForAppendAsync(0, Hour).AsTask().WaitAsync(Hang);
        Task waiting = reader.WaitForAppendAsync(1, Hour).AsTask();
        waiting.IsCompleted.Should().BeFalse("nothing was appended after position 1");
        await writer.AppendAsync(new EventBuilder("order.paid").Build());

        await waiting.WaitAsync(Hang);
        (await reader.ReadAfterAsync(1, 10)).Events.Should().ContainSingle().Which.Type.Should().Be("order.paid");
    }

    [Fact]
    public async Task AWaitingReader_IsWokenWhenTheApplicationsTransactionCommits()
    {
        await using PostgreSqlEventStore store = Open();
        await using PostgreSqlEventStore reader = Open();
        await reader.WaitForAppendAsync(0, TimeSpan.Zero);
        Task waiting = reader.WaitForAppendAsync(0, Hour).AsTask();
        await using NpgsqlConnection connection = new(server.ConnectionString);
        await connection.OpenAsync();
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
        await store.AppendInTransactionAsync(transaction, [new EventBuilder("order.placed").Build()]);
        waiting.IsCompleted.Should().BeFalse("the transaction has not committed");

        await transaction.CommitAsync();

        await waiting.WaitAsync(Hang);
    }

    [Fact]
    public async Task WhenEveryConnectionIsKilled_TheWriterAndTheListenerConnectAgain_AndNothingIsMissed()
    {
        FakeLogCollector logs = new();
        await using PostgreSqlEventStore writer = Open();
        await using PostgreSqlEventStore reader = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema, Logger = new FakeLogger(logs) });
        await writer.AppendAsync(new EventBuilder("order.placed").Build());
        await reader.WaitForAppendAsync(0, Hour).AsTask().WaitAsync(Hang);
        await using (NpgsqlConnection connection = new(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using NpgsqlCommand kill = new("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
            ((long)(await kill.ExecuteScalarAsync())!).Should().BeGreaterThanOrEqualTo(2, "the writer's and the listener's connections were open");
        }

        // The writer's kept connection is dead: it writes on a new one. Appended while nobody listens, the event is
        // found when listening starts again.
        await writer.AppendAsync(new EventBuilder("order.paid").Build());
        await reader.WaitForAppendAsync(1, Hour).AsTask().WaitAsync(Hang);
        Task waiting = reader.WaitForAppendAsync(2, Hour).AsTask();
        await writer.AppendAsync(new EventBuilder("order.shipped").Build());

        await waiting.WaitAsync(Hang);
        (await reader.ReadAfterAsync(0, 10)).Events.Select(e => e.Type).Should().Equal("order.placed", "order.paid", "order.shipped");
        logs.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Warning && r.Message.Contains("Listening for other instances' appends", StringComparison.Ordinal) && r.Message.Contains(_schema, StringComparison.Ordinal));
    }

    private PostgreSqlEventStore Open() => new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });
}
