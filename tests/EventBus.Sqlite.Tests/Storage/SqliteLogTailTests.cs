namespace EventBus.Sqlite.Tests.Storage;

/// <summary>
/// A relay follows the log right behind the writer: what this store just committed is read from memory, never when
/// another writer's rows lie in between or when the rows are gone.
/// </summary>
public sealed class SqliteLogTailTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task OnceTheLogIsFollowed_WhatThisStoreCommits_IsReadBackWithoutDecodingItsRows()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        (await store.ReadAfterAsync(0, 10)).Events.Should().BeEmpty();
        EventEnvelope[] events = [.. Enumerable.Range(0, 3).Select(i => new EventBuilder("order.placed").WithData($"order {i}").Build())];

        await store.AppendBatchAsync(events, PersistenceLevel.Critical);
        EventLogPage page = await store.ReadAfterAsync(0, 10);

        page.Events.Should().HaveCount(3);
        page.Events.Zip(events).Should().OnlyContain(pair => ReferenceEquals(pair.First, pair.Second), "the envelopes are the ones appended, not copies decoded from their rows");
        page.Position.Should().Be(3);
        (await store.ReadAfterAsync(1, 1)).Events.Should().ContainSingle().Which.Should().BeSameAs(events[1]);
    }

    [Fact]
    public async Task RowsAnotherStoreAppendedInBetween_AreReadFromTheFile_InPositionOrder()
    {
        await using SqliteEventStore follower = new(new SqliteEventStoreOptions { Path = _database.Path });
        await using SqliteEventStore other = new(new SqliteEventStoreOptions { Path = _database.Path });
        await follower.ReadAfterAsync(0, 10);
        EventEnvelope[] events = [.. Enumerable.Range(0, 6).Select(i => new EventBuilder("order.placed").WithData(i).Build())];

        await follower.AppendBatchAsync(events[..2], PersistenceLevel.Critical);
        await other.AppendBatchAsync(events[2..4], PersistenceLevel.Critical);
        await follower.AppendBatchAsync(events[4..], PersistenceLevel.Critical);
        (List<EventEnvelope> read, long position) = await ReadAllAsync(follower, 0);

        read.Select(e => e.Id).Should().Equal(events.Select(e => e.Id));
        position.Should().Be(6);
    }

    [Fact]
    public async Task ASecondCopyOfAStoredEvent_IsNotRelayed_AndTheEventsAfterItAre()
    {
        // A second copy is skipped and leaves its position without a row, which the next commit numbers again: read
        // from memory by position, the log gave the copy again, then the copy in place of the next event, never that one.
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        await store.ReadAfterAsync(0, 10);
        EventEnvelope first = new EventBuilder("order.placed").WithData(1).Build();
        EventEnvelope second = new EventBuilder("order.placed").WithData(2).Build();
        EventEnvelope third = new EventBuilder("order.placed").WithData(3).Build();

        await store.AppendAsync(first, PersistenceLevel.Critical);
        await store.AppendBatchAsync([second, first], PersistenceLevel.Critical);
        (List<EventEnvelope> before, long position) = await ReadAllAsync(store, 0);
        Task waiting = store.WaitForAppendAsync(position, TimeSpan.FromMinutes(1)).AsTask();
        bool wokeAtOnce = waiting.IsCompleted;
        await store.AppendAsync(third, PersistenceLevel.Critical);
        (List<EventEnvelope> after, _) = await ReadAllAsync(store, position);

        before.Select(e => e.Id).Should().Equal(first.Id, second.Id);
        wokeAtOnce.Should().BeFalse("nothing was written after the last event read, so a relay waiting there must sleep, not spin");
        after.Select(e => e.Id).Should().Equal(third.Id);
        await waiting.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task PrunedEvents_AreNotReadBackFromMemory()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        await store.ReadAfterAsync(0, 10);
        EventEnvelope[] events = [.. Enumerable.Range(0, 3).Select(i => new EventBuilder("order.placed").WithData(i).Build())];
        await store.AppendBatchAsync(events, PersistenceLevel.Critical);

        (await store.PruneAsync(new EventRetention { MaxCount = 1 })).Should().Be(2);

        (await store.ReadAfterAsync(0, 10)).Events.Select(e => e.Id).Should().Equal(events[2].Id);
    }

    [Fact]
    public void TheTail_KeepsNothingUntilTheLogIsRead()
    {
        AppendedTail tail = new();
        tail.Committed(At(1, Rows(2)));

        tail.TryReadAfter(0, 10).Should().BeNull("nobody followed the log when those were committed");
        tail.Committed(At(3, Rows(2)));
        tail.TryReadAfter(2, 10)!.Events.Should().HaveCount(2);
    }

    [Fact]
    public void TheTail_ServesRunsWithoutAGap_AndStopsAtOne()
    {
        AppendedTail tail = Followed();
        StoredRow[] first = Rows(3);
        StoredRow[] second = Rows(2);
        StoredRow[] afterGap = Rows(2);
        tail.Committed(At(1, first));
        tail.Committed(At(4, second));
        tail.Committed(At(8, afterGap));

        EventLogPage page = tail.TryReadAfter(1, 10)!;

        page.Events.Should().Equal(first[1..].Concat(second).Select(row => row.Envelope));
        page.Position.Should().Be(5);
        tail.TryReadAfter(5, 10).Should().BeNull("positions 6 and 7 are another writer's");
        tail.TryReadAfter(8, 10)!.Events.Should().Equal(afterGap[1].Envelope);
        tail.TryReadAfter(9, 10).Should().BeNull("nothing after the last commit is kept");
        tail.TryReadAfter(0, 2)!.Events.Should().Equal(first[..2].Select(row => row.Envelope));
    }

    [Fact]
    public void TheTail_ForgetsTheOldestCommits_BeyondItsEventBound()
    {
        AppendedTail tail = Followed();
        int perCommit = AppendedTail.MaxEvents / 4;
        long position = 1;
        for (int commit = 0; commit < 5; commit++, position += perCommit)
        {
            tail.Committed(At(position, Rows(perCommit, payloadBytes: 1)));
        }

        tail.TryReadAfter(0, 10).Should().BeNull("the first commit was forgotten");
        tail.TryReadAfter(perCommit, 10)!.Events.Should().HaveCount(10);
        tail.TryReadAfter(position - 2, 10)!.Events.Should().ContainSingle();
    }

    [Fact]
    public void TheTail_ForgetsTheOldestCommits_BeyondItsPayloadBound_AndKeepsNoCommitLargerThanIt()
    {
        AppendedTail tail = Followed();
        int large = (int)(AppendedTail.MaxPayloadBytes / 2);
        tail.Committed(At(1, Rows(1, large)));
        tail.Committed(At(2, Rows(1, large)));
        tail.Committed(At(3, Rows(1, large)));

        tail.TryReadAfter(0, 10).Should().BeNull("keeping three would pass the payload bound");
        tail.TryReadAfter(1, 10)!.Events.Should().HaveCount(2);
        tail.Committed(At(4, Rows(1, (int)AppendedTail.MaxPayloadBytes + 1)));
        tail.TryReadAfter(3, 10).Should().BeNull("a commit larger than the bound is not kept");
    }

    [Fact]
    public void TheTail_KeepsACommitWithAGap_AsTwoRuns()
    {
        AppendedTail tail = Followed();
        StoredRow[] rows = Rows(3);

        tail.Committed([(1, rows[0]), (3, rows[1]), (4, rows[2])]);

        tail.TryReadAfter(0, 10)!.Events.Should().Equal(rows[0].Envelope);
        tail.TryReadAfter(1, 10).Should().BeNull("position 2 has no row of this commit");
        tail.TryReadAfter(2, 10)!.Events.Should().Equal(rows[1].Envelope, rows[2].Envelope);
    }

    private static async Task<(List<EventEnvelope> Events, long Position)> ReadAllAsync(SqliteEventStore store, long position)
    {
        List<EventEnvelope> read = [];
        for (EventLogPage page = await store.ReadAfterAsync(position, 10); page.Events.Count > 0; page = await store.ReadAfterAsync(position, 10))
        {
            page.Position.Should().BeGreaterThan(position, "a page of events moves the position on");
            read.AddRange(page.Events);
            position = page.Position;
        }

        return (read, position);
    }

    private static List<(long Position, StoredRow Row)> At(long first, StoredRow[] rows) =>
        [.. rows.Select((row, i) => (first + i, row))];

    private static AppendedTail Followed()
    {
        AppendedTail tail = new();
        tail.TryReadAfter(0, 1).Should().BeNull();
        return tail;
    }

    private static StoredRow[] Rows(int count, int payloadBytes = 8)
    {
        PayloadSerializer payloads = new(null, new Dictionary<string, Type>(), null);
        string payload = new('x', Math.Max(0, payloadBytes - 2));
        return [.. Enumerable.Range(0, count).Select(_ => new StoredRow(new EventBuilder("order.placed").WithData(payload).Build(), payloads))];
    }
}
