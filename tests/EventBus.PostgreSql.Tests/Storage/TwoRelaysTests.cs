using EventBus.PostgreSql.Tests.Server;
using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>
/// Two application instances on one database, each with a relay to its own publisher: only the one holding the log's
/// lease sends; when it stops, the other takes over from its checkpoint, so every event is sent exactly once in all.
/// </summary>
[Collection(SharedServer.Name)]
public sealed class TwoRelaysTests(PostgresServer server)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task WithTwoInstancesRelaying_EachCommittedEventIsSentOnce_AndTheSecondTakesOverWhenTheFirstStops()
    {
        InMemoryExternalPublisher first = new("memory");
        InMemoryExternalPublisher second = new("memory");
        using IHost one = await OutboxHost.StartAsync(server.ConnectionString, _schema, first);
        EventEnvelope opening = new EventBuilder("order.opened").WithWorkflow("order-0").Build();
        await one.Services.GetRequiredService<IEventBus>().PublishAsync(opening);

        // The first instance sent: it holds the lease when the second starts.
        await first.WaitForSentAsync(1).WaitAsync(Hang);
        using IHost two = await OutboxHost.StartAsync(server.ConnectionString, _schema, second);
        PostgreSqlEventStore store = (PostgreSqlEventStore)one.Services.GetRequiredService<IEventStore>();
        EventEnvelope[] committed = [.. Enumerable.Range(0, 3).Select(i => new EventBuilder("order.placed").WithWorkflow("order-" + i).Build())];
        await using (NpgsqlConnection connection = new(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
            await store.AppendInTransactionAsync(transaction, committed);
            await transaction.CommitAsync();
        }

        EventEnvelope published = new EventBuilder("order.paid").WithWorkflow("order-0").Build();
        await two.Services.GetRequiredService<IEventBus>().PublishAsync(published);
        await first.WaitForSentAsync(5).WaitAsync(Hang);

        // The first instance stops (what it sent is checkpointed as it stops); the second takes the lease over.
        await one.StopAsync();
        EventEnvelope later = new EventBuilder("order.shipped").WithWorkflow("order-0").Build();
        await two.Services.GetRequiredService<IEventBus>().PublishAsync(later);
        await second.WaitForSentAsync(1).WaitAsync(Hang);

        first.Sent.Select(e => e.Id).Should().Equal([opening.Id, .. committed.Select(e => e.Id), published.Id], "the instance holding the lease sent the committed events and the one the other instance published");
        second.Sent.Select(e => e.Id).Should().Equal([later.Id], "the second instance waited for the lease and started after the first one's checkpoint");
        await two.StopAsync();
    }

    [Fact]
    public async Task ALease_IsHeldByOneAtATime_AndLostWhenItsConnectionIsKilled()
    {
        await using PostgreSqlEventStore store = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });
        FakeLogCollector logs = new();
        await using PostgreSqlEventStore other = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema, Logger = new FakeLogger(logs) });
        IEventLogLease held = await store.AcquireLeaseAsync("external:memory");
        Task<IEventLogLease> waiting = other.AcquireLeaseAsync("external:memory").AsTask();
        IEventLogLease another = await other.AcquireLeaseAsync("external:other");

        waiting.IsCompleted.Should().BeFalse("the lease is held");
        (await other.TryAcquireLeaseAsync("external:memory")).Should().BeNull("the lease is held");
        await another.DisposeAsync();
        await held.DisposeAsync();
        IEventLogLease taken = await waiting.WaitAsync(Hang);

        TaskCompletionSource lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = taken.Lost.Register(lost.SetResult);
        await TerminateLeaseHoldersAsync();
        await lost.Task.WaitAsync(Hang);
        await using IEventLogLease retaken = await store.AcquireLeaseAsync("external:memory").AsTask().WaitAsync(Hang);
        retaken.Lost.IsCancellationRequested.Should().BeFalse();
        logs.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Warning && r.Message.Contains("The lease 'external:memory'", StringComparison.Ordinal) && r.Message.Contains("was lost", StringComparison.Ordinal));
        await taken.DisposeAsync();
    }

    [Fact]
    public async Task ALeaseWithoutAName_IsRefused()
    {
        await using PostgreSqlEventStore store = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });

        await FluentActions.Awaiting(async () => await store.AcquireLeaseAsync("")).Should().ThrowAsync<ArgumentException>();
    }

    /// <summary>Ends the server sessions that hold an advisory lock, as a failover or a network cut would.</summary>
    private async Task TerminateLeaseHoldersAsync()
    {
        await using NpgsqlConnection connection = new(server.ConnectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand command = new("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()", connection);
        (await command.ExecuteScalarAsync()).Should().NotBe(0L);
    }
}
