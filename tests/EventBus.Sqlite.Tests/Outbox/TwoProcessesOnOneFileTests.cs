using EventBus.Sqlite.Tests.Storage;
using EventBus.Testing;

namespace EventBus.Sqlite.Tests.Outbox;

/// <summary>
/// Two applications on one database file, each relaying to its own publisher: only the one holding the lease file sends;
/// when it stops, the other takes over from the checkpoint, so every event is sent once in all.
/// </summary>
public sealed class TwoProcessesOnOneFileTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task OnlyTheLeaseHolderRelays_AndTheOtherTakesOverFromItsCheckpoint()
    {
        InMemoryExternalPublisher first = new();
        InMemoryExternalPublisher second = new();
        OutboxApp one = await OutboxApp.StartAsync(_database.Path, first);
        await using OutboxApp two = await OutboxApp.StartAsync(_database.Path, second);
        EventEnvelope[] early = [Order(0), Order(1)];
        await one.Bus.PublishAsync(early[0]);
        await two.Bus.PublishAsync(early[1]);

        // The first application's relay holds the lease; it sends what either application stored.
        await first.WaitForSentAsync(2).WaitAsync(Hang);
        await one.DisposeAsync();
        EventEnvelope late = Order(2);
        await two.Bus.PublishAsync(late);
        await second.WaitForSentAsync(1).WaitAsync(Hang);

        // Two stores write the file, each in its own background batches: which of the two early events lands first is
        // theirs to decide, and the relay sends in the file's order.
        first.Sent.Select(e => e.Id).Should().BeEquivalentTo(early.Select(e => e.Id));
        second.Sent.Select(e => e.Id).Should().Equal([late.Id], "the second relay waited for the lease and went on from the first one's checkpoint");
    }

    [Fact]
    public async Task ALease_IsHeldByOneStoreAtATime_AndGivenBackWhenDisposed()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        await using SqliteEventStore other = new(new SqliteEventStoreOptions { Path = _database.Path });
        IEventLogLease held = await store.AcquireLeaseAsync("external:memory");
        Task<IEventLogLease> waiting = other.AcquireLeaseAsync("external:memory").AsTask();
        await using IEventLogLease unrelated = await other.AcquireLeaseAsync("external:other/name");

        waiting.IsCompleted.Should().BeFalse("the lease is held");
        (await other.TryAcquireLeaseAsync("external:memory")).Should().BeNull("the lease is held");
        held.Lost.CanBeCanceled.Should().BeFalse("a lock on a local file is not lost while the process runs");
        await held.DisposeAsync();
        await using IEventLogLease taken = await waiting.WaitAsync(Hang);
        await using IEventLogLease? free = await store.TryAcquireLeaseAsync("external:free");
        free.Should().NotBeNull("nobody holds that one");
        await FluentActions.Awaiting(async () => await store.AcquireLeaseAsync("")).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task ALease_IsGivenBackOnlyOnceTheCheckpointSavedUnderItIsWritten()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        await using SqliteEventStore other = new(new SqliteEventStoreOptions { Path = _database.Path });
        (await store.CountAsync()).Should().Be(0);
        IEventLogLease lease = await store.AcquireLeaseAsync("external:memory");

        // Another program holds the file's write lock: the checkpoint waits in the store's queue.
        using (Microsoft.Data.Sqlite.SqliteConnection blocker = new($"Data Source={_database.Path};Pooling=False"))
        {
            blocker.Open();
            using (Microsoft.Data.Sqlite.SqliteCommand begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                begin.ExecuteNonQuery();
            }

            await store.SaveCheckpointAsync("external:memory", 5);
            Task giving = lease.DisposeAsync().AsTask();

            giving.IsCompleted.Should().BeFalse("the checkpoint is not written yet");
            using Microsoft.Data.Sqlite.SqliteCommand rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
            await giving.WaitAsync(Hang);
        }

        await using IEventLogLease taken = await other.AcquireLeaseAsync("external:memory").AsTask().WaitAsync(Hang);
        (await other.ReadCheckpointAsync("external:memory")).Should().Be(5, "the next holder starts where the last one stopped");
    }

    [Fact]
    public async Task ALeaseFileThatCanNotBeCreated_FailsNamingTheLeaseAndTheFile()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        await (await store.AcquireLeaseAsync("external:memory")).DisposeAsync();
        string leaseFile = Directory.GetFiles(Path.GetDirectoryName(_database.Path)!, "events.db.lease-*").Single();
        File.Delete(leaseFile);
        Directory.CreateDirectory(leaseFile);

        EventStoreException failure = (await FluentActions.Awaiting(async () => await store.AcquireLeaseAsync("external:memory")).Should().ThrowAsync<EventStoreException>()).Which;

        failure.Message.Should().Contain("external:memory").And.Contain(leaseFile);
    }

    private static EventEnvelope Order(int number) => new EventBuilder("order.placed").WithData(number).Build();
}
