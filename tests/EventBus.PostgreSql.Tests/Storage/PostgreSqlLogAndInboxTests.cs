using System.Collections.Concurrent;
using EventBus.PostgreSql.Tests.Server;
using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>The log (following positions while several instances append), checkpoints, the inbox, and the store as a durable outbox.</summary>
[Collection(SharedServer.Name)]
public sealed class PostgreSqlLogAndInboxTests(PostgresServer server)
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task AReaderFollowingPositions_WhileSeveralInstancesAppend_SeesEveryEventOnce_InPositionOrder()
    {
        const int Writers = 4;
        const int Batches = 40;
        const int PerBatch = 5;
        PostgreSqlEventStore[] writers = [.. Enumerable.Range(0, Writers).Select(_ => Open())];
        await using PostgreSqlEventStore reader = Open();
        ConcurrentBag<Guid> appended = [];
        try
        {
            Task writing = Task.WhenAll(writers.Select(store => Task.Run(async () =>
            {
                for (int batch = 0; batch < Batches; batch++)
                {
                    EventEnvelope[] events = [.. Enumerable.Range(0, PerBatch).Select(_ => new EventBuilder("log.event").Build())];
                    await store.AppendBatchAsync(events, PersistenceLevel.Critical);
                    foreach (EventEnvelope e in events)
                    {
                        appended.Add(e.Id);
                    }
                }
            })));

            // Follows the log as a relay does: moves past what it read and never looks back.
            List<Guid> seen = [];
            long position = 0;
            bool done = false;
            while (!done)
            {
                done = writing.IsCompleted;
                EventLogPage page = await reader.ReadAfterAsync(position, 7);
                page.Position.Should().BeGreaterThanOrEqualTo(position);
                position = page.Position;
                seen.AddRange(page.Events.Select(e => e.Id));
                done &= page.Events.Count == 0;
            }

            await writing;
            seen.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(appended, "no event committed behind the reader's position was skipped");
            seen.Should().HaveCount(Writers * Batches * PerBatch);
        }
        finally
        {
            foreach (PostgreSqlEventStore store in writers)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ACheckpoint_OnlyMovesForward()
    {
        await using PostgreSqlEventStore store = Open();

        (await store.ReadCheckpointAsync("external:broker")).Should().Be(0);
        await store.SaveCheckpointAsync("external:broker", 40);
        await store.SaveCheckpointAsync("external:broker", 25);

        (await store.ReadCheckpointAsync("external:broker")).Should().Be(40, "a relay in another instance can not move it back");
    }

    [Fact]
    public async Task TheInbox_IsReadBackFromItsWindow_AndPruned()
    {
        await using PostgreSqlEventStore store = Open();
        DateTimeOffset now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        InboxEntry old = new("shop", Guid.NewGuid(), now.AddHours(-2));
        InboxEntry recent = new("shop", Guid.NewGuid(), now);

        await store.SaveInboxAsync([old, recent, recent]);
        List<InboxEntry> window = await store.ReadInboxAsync(now.AddHours(-1)).ToListAsync();
        long pruned = await store.PruneInboxAsync(now.AddHours(-1));

        window.Should().Equal(recent);
        pruned.Should().Be(1);
        (await store.ReadInboxAsync(DateTimeOffset.MinValue).ToListAsync()).Should().Equal(recent);
        await FluentActions.Awaiting(async () => await store.SaveInboxAsync([new InboxEntry("", Guid.NewGuid(), now)])).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task TheStore_IsTheDurableOutbox_OfAnExternalPublisher()
    {
        InMemoryExternalPublisher publisher = new("memory");
        using IHost host = await OutboxHost.StartAsync(server.ConnectionString, _schema, publisher);
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        EventEnvelope[] orders = [.. Enumerable.Range(0, 3).Select(i => new EventBuilder("order.placed").WithWorkflow("order-" + i).Build())];

        foreach (EventEnvelope order in orders)
        {
            await bus.PublishAsync(order);
        }

        await publisher.WaitForSentAsync(3);

        publisher.Sent.Select(e => e.Id).Should().Equal(orders.Select(e => e.Id));
        host.Services.GetRequiredService<ExternalRelays>()["memory"].IsDurable.Should().BeTrue("the relay reads the events from the PostgreSQL log");
        await host.StopAsync();
    }

    private PostgreSqlEventStore Open() => new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });
}
