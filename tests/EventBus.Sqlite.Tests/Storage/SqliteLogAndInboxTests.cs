namespace EventBus.Sqlite.Tests.Storage;

public sealed class SqliteLogAndInboxTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task TheLog_IsReadAfterAPosition_InAppendOrder_AndItsCheckpointsOnlyMoveForward()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        EventEnvelope[] events = [.. Enumerable.Range(0, 5).Select(i => new EventBuilder("order.placed").WithData(i).Build())];
        await store.AppendBatchAsync(events, PersistenceLevel.Critical);

        EventLogPage first = await store.ReadAfterAsync(0, 3);
        EventLogPage rest = await store.ReadAfterAsync(first.Position, 3);
        EventLogPage none = await store.ReadAfterAsync(rest.Position, 3);
        await store.SaveCheckpointAsync("external:a", rest.Position);
        await store.SaveCheckpointAsync("external:a", 1);
        await store.FlushAsync();

        first.Events.Select(e => e.Id).Concat(rest.Events.Select(e => e.Id)).Should().Equal(events.Select(e => e.Id));
        none.Events.Should().BeEmpty();
        none.Position.Should().Be(rest.Position, "nothing new: the position stays");
        (await store.ReadCheckpointAsync("external:a")).Should().Be(rest.Position, "an older position does not move a checkpoint back");
        (await store.ReadCheckpointAsync("external:b")).Should().Be(0);
        await FluentActions.Awaiting(() => store.ReadAfterAsync(-1, 3).AsTask()).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => store.ReadAfterAsync(0, 0).AsTask()).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task WaitingForAnAppend_EndsWhenThisStoreCommitsOne_OrAtTheTimeout()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        await store.AppendAsync(new EventBuilder("a.b").Build(), PersistenceLevel.Critical);
        long position = (await store.ReadAfterAsync(0, 10)).Position;

        Task waiting = store.WaitForAppendAsync(position, Hang).AsTask();
        waiting.IsCompleted.Should().BeFalse();
        await store.AppendAsync(new EventBuilder("a.b").Build(), PersistenceLevel.Critical);
        await waiting.WaitAsync(Hang);
        await store.WaitForAppendAsync(position, Hang).AsTask().WaitAsync(Hang);
        await store.WaitForAppendAsync(position + 1, TimeSpan.FromMilliseconds(1)).AsTask().WaitAsync(Hang);

        (await store.ReadAfterAsync(position, 10)).Events.Should().ContainSingle();
    }

    [Fact]
    public async Task TheInbox_KeepsEntriesAcrossARestart_ReadsTheWindow_AndPrunesOlderOnes()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        InboxEntry old = new("shop", Guid.NewGuid(), now.AddHours(-2));
        InboxEntry recent = new("shop", Guid.NewGuid(), now);
        await using (SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path }))
        {
            await store.SaveInboxAsync([old, recent, recent]);
            await store.SaveInboxAsync([]);
        }

        await using SqliteEventStore reopened = new(new SqliteEventStoreOptions { Path = _database.Path });
        List<InboxEntry> window = await ToListAsync(reopened.ReadInboxAsync(now.AddHours(-1)));
        long pruned = await reopened.PruneInboxAsync(now.AddHours(-1));
        List<InboxEntry> all = await ToListAsync(reopened.ReadInboxAsync(DateTimeOffset.MinValue));

        window.Should().Equal(recent);
        pruned.Should().Be(1);
        all.Should().Equal(recent);
        await FluentActions.Awaiting(() => reopened.SaveInboxAsync([new InboxEntry(string.Empty, Guid.NewGuid(), now)]).AsTask()).Should().ThrowAsync<ArgumentException>().WithMessage("*has no source*");
    }

    private static async Task<List<InboxEntry>> ToListAsync(IAsyncEnumerable<InboxEntry> entries)
    {
        List<InboxEntry> list = [];
        await foreach (InboxEntry entry in entries)
        {
            list.Add(entry);
        }

        return list;
    }
}
