using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Storage;

/// <summary>A state folded from stream events: how many, and their sum.</summary>
/// <param name="Count">The events applied.</param>
/// <param name="Sum">The sum of their data.</param>
public sealed record Tally(int Count, long Sum);

/// <summary>
/// The behaviour every <see cref="IEventStreamStore"/> (and <see cref="ISnapshotStore"/>) must have: versions from 1 without gaps, optimistic concurrency that
/// stores nothing on a conflict (also between several connections to the same data), and stream events that are
/// ordinary events of the store but outlive its retention. Each store's test class says how to open its store.
/// </summary>
public abstract class EventStreamStoreContract
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AStream_ReadsBackInVersionOrder_FromAnyVersion()
    {
        await using IEventStore store = await OpenStoreAsync();
        IEventStreamStore streams = (IEventStreamStore)store;
        EventEnvelope[] first = [Event(1), Event(2)];
        EventEnvelope[] second = [Event(3)];

        (await streams.AppendToStreamAsync("order-1", StreamVersion.NoStream, first)).Should().Be(2);
        (await streams.AppendToStreamAsync("order-1", 2, second)).Should().Be(3);
        await streams.AppendToStreamAsync("order-2", StreamVersion.NoStream, [Event(99)]);

        List<StreamEvent> all = await ReadAsync(streams, "order-1");
        all.Select(e => e.Version).Should().Equal(1, 2, 3);
        all.Select(e => e.Event.Id).Should().Equal(first[0].Id, first[1].Id, second[0].Id);
        all.Should().AllSatisfy(e => e.StreamId.Should().Be("order-1"));
        all[2].Event.GetData<int>().Should().Be(3);
        (await ReadAsync(streams, "order-1", fromVersion: 2)).Select(e => (e.Version, e.Event.Id)).Should().Equal((2, first[1].Id), (3, second[0].Id));
        (await ReadAsync(streams, "order-1", fromVersion: 4)).Should().BeEmpty();
        (await streams.GetStreamVersionAsync("order-1")).Should().Be(3);
    }

    [Fact]
    public async Task AStreamThatDoesNotExist_IsAtVersionZero_AndReadsEmpty()
    {
        await using IEventStore store = await OpenStoreAsync();
        IEventStreamStore streams = (IEventStreamStore)store;

        (await streams.GetStreamVersionAsync("nobody")).Should().Be(0);
        (await ReadAsync(streams, "nobody")).Should().BeEmpty();
        (await streams.AppendToStreamAsync("nobody", StreamVersion.NoStream, [])).Should().Be(0, "an empty append checks the version and stores nothing");
    }

    [Theory]
    [InlineData(StreamVersion.NoStream)]
    [InlineData(1L)]
    [InlineData(3L)]
    public async Task AnAppendExpectingAnotherVersion_Fails_NamingBothVersions_AndStoresNothing(long expected)
    {
        await using IEventStore store = await OpenStoreAsync();
        IEventStreamStore streams = (IEventStreamStore)store;
        await streams.AppendToStreamAsync("order-1", StreamVersion.NoStream, [Event(1), Event(2)]);
        EventEnvelope refused = Event(3);

        Func<Task> append = async () => await streams.AppendToStreamAsync("order-1", expected, [refused]);

        StreamVersionConflictException conflict = (await append.Should().ThrowAsync<StreamVersionConflictException>()).Which;
        conflict.StreamId.Should().Be("order-1");
        conflict.ExpectedVersion.Should().Be(expected);
        conflict.ActualVersion.Should().Be(2);
        conflict.Message.Should().Contain("'order-1'").And.Contain($"expected version {expected}").And.Contain("at version 2");
        (await streams.GetStreamVersionAsync("order-1")).Should().Be(2);
        (await store.GetAsync(refused.Id)).Should().BeNull("nothing of a refused append is stored");
    }

    [Fact]
    public async Task AnyVersion_AppendsWhateverTheVersion()
    {
        await using IEventStore store = await OpenStoreAsync();
        IEventStreamStore streams = (IEventStreamStore)store;

        (await streams.AppendToStreamAsync("log-1", StreamVersion.Any, [Event(1)])).Should().Be(1);
        (await streams.AppendToStreamAsync("log-1", StreamVersion.Any, [Event(2), Event(3)])).Should().Be(3);
    }

    [Fact]
    public async Task StreamEvents_AreEventsOfTheStore_AndRetentionKeepsThem()
    {
        await using IEventStore store = await OpenStoreAsync();
        IEventStreamStore streams = (IEventStreamStore)store;
        EventEnvelope inStream = Event(1);
        await streams.AppendToStreamAsync("order-1", StreamVersion.NoStream, [inStream]);
        await store.AppendAsync(Event(2), PersistenceLevel.Critical);

        (await store.GetAsync(inStream.Id)).Should().NotBeNull();
        (await store.QueryAsync(new EventQuery { TypePattern = "stream.event" })).Events.Should().HaveCount(2);

        Time.Advance(TimeSpan.FromDays(30));
        await store.PruneAsync(new EventRetention { MaxAge = TimeSpan.FromDays(1), MaxCount = 0 });

        (await ReadAsync(streams, "order-1")).Select(e => e.Event.Id).Should().Equal(inStream.Id);
        (await streams.GetStreamVersionAsync("order-1")).Should().Be(1);
    }

    [Fact]
    public async Task AnEventAlreadyStored_CanNotJoinAStream_AndNothingOfTheAppendIsStored()
    {
        await using IEventStore store = await OpenStoreAsync();
        IEventStreamStore streams = (IEventStreamStore)store;
        EventEnvelope stored = Event(1);
        EventEnvelope fresh = Event(2);
        await store.AppendAsync(stored, PersistenceLevel.Critical);

        Func<Task> append = async () => await streams.AppendToStreamAsync("order-1", StreamVersion.NoStream, [fresh, stored]);

        (await append.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(stored.Id.ToString()).And.Contain("already stored");
        (await store.GetAsync(fresh.Id)).Should().BeNull();
        (await streams.GetStreamVersionAsync("order-1")).Should().Be(0);
    }

    [Fact]
    public async Task BadArguments_AreRefused_WithTheValueAndTheFix()
    {
        await using IEventStore store = await OpenStoreAsync();
        IEventStreamStore streams = (IEventStreamStore)store;
        EventEnvelope twice = Event(1);

        (await FluentActions.Awaiting(async () => await streams.AppendToStreamAsync(" ", 0, [Event(1)])).Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("streamId");
        (await FluentActions.Awaiting(async () => await streams.AppendToStreamAsync(new string('s', 257), 0, [Event(1)])).Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("257 characters");
        (await FluentActions.Awaiting(async () => await streams.AppendToStreamAsync("s", -2, [Event(1)])).Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("StreamVersion.Any");
        (await FluentActions.Awaiting(async () => await streams.AppendToStreamAsync("s", 0, [twice, twice])).Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("appears twice");
        (await FluentActions.Awaiting(async () => await ReadAsync(streams, "s", fromVersion: 0)).Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("start at 1");
        (await streams.GetStreamVersionAsync("s")).Should().Be(0);
    }

    [Fact]
    public async Task ConcurrentWriters_OnSeveralConnections_ExactlyOneWinsEachVersion()
    {
        const int Writers = 4;
        const int Attempts = 25;
        IEventStore[] stores = new IEventStore[Writers];
        for (int i = 0; i < Writers; i++)
        {
            stores[i] = await OpenStoreAsync();
        }

        try
        {
            // Each writer reads the version, then appends expecting it: when another got there first it is refused,
            // reads again and retries, as an application rebuilding its aggregate would.
            Task<List<Guid>>[] writers = [.. stores.Select(store => Task.Run(async () =>
            {
                IEventStreamStore streams = (IEventStreamStore)store;
                List<Guid> won = [];
                for (int attempt = 0; attempt < Attempts; attempt++)
                {
                    long version = await streams.GetStreamVersionAsync("contended");
                    EventEnvelope envelope = Event(attempt);
                    try
                    {
                        await streams.AppendToStreamAsync("contended", version, [envelope]);
                        won.Add(envelope.Id);
                    }
                    catch (StreamVersionConflictException conflict)
                    {
                        conflict.ActualVersion.Should().BeGreaterThan(version);
                    }
                }

                return won;
            }))];
            List<Guid>[] wins = await Task.WhenAll(writers);

            List<StreamEvent> stream = await ReadAsync((IEventStreamStore)stores[0], "contended");
            stream.Select(e => e.Version).Should().Equal(Enumerable.Range(1, stream.Count).Select(v => (long)v), "versions have no gaps and no repeats");
            stream.Select(e => e.Event.Id).Should().BeEquivalentTo(wins.SelectMany(w => w), "exactly the successful appends are in the stream");
            stream.Count.Should().BeGreaterThanOrEqualTo(Attempts, "each round has a winner");
        }
        finally
        {
            foreach (IEventStore store in stores.Distinct())
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TheLatestSnapshot_IsKept_AndAnOlderOneDoesNotReplaceIt()
    {
        await using IEventStore store = await OpenStoreAsync();
        ISnapshotStore snapshots = (ISnapshotStore)store;

        (await snapshots.LoadSnapshotAsync<Tally>("order-1")).Should().BeNull();
        await snapshots.SaveSnapshotAsync("order-1", 10, new Tally(10, 55));
        Time.Advance(TimeSpan.FromMinutes(1));
        await snapshots.SaveSnapshotAsync("order-1", 20, new Tally(20, 210));
        await snapshots.SaveSnapshotAsync("order-1", 15, new Tally(15, 120));

        Snapshot<Tally>? latest = await snapshots.LoadSnapshotAsync<Tally>("order-1");
        latest.Should().Be(new Snapshot<Tally>("order-1", 20, new Tally(20, 210), Time.GetUtcNow()));
        (await FluentActions.Awaiting(async () => await snapshots.SaveSnapshotAsync("order-1", 0, new Tally(0, 0))).Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("1 or more");
    }

    [Fact]
    public async Task AFold_StartsFromTheSnapshot_AndAppliesOnlyTheEventsAfterIt()
    {
        await using IEventStore store = await OpenStoreAsync();
        IEventStreamStore streams = (IEventStreamStore)store;
        SnapshotPolicy everyFour = new(4);
        Tally state = new(0, 0);
        long version = StreamVersion.NoStream;
        for (int i = 1; i <= 10; i++)
        {
            // Appended in ones and twos: a snapshot is due whenever an append passes a multiple of four.
            EventEnvelope[] events = i % 3 == 0 ? [Event(i)] : [Event(i), Event(i * 100)];
            state = events.Aggregate(state, Apply);
            version = await streams.AppendToStreamAsync("order-1", version, events, state, everyFour);
        }

        int applied = 0;
        StreamState<Tally> folded = await streams.FoldStreamAsync("order-1", new Tally(0, 0), (s, e) =>
        {
            applied++;
            return Apply(s, e);
        });

        folded.State.Should().Be(state, "the snapshot and the events after it make the same state as every event");
        folded.Version.Should().Be(version);
        folded.FromSnapshot.Should().BeGreaterThan(version - 4).And.BeLessThanOrEqualTo(version);
        applied.Should().Be((int)(version - folded.FromSnapshot));
        (await ((ISnapshotStore)store).LoadSnapshotAsync<Tally>("order-1"))!.State.Count.Should().Be((int)folded.FromSnapshot);
    }

    [Fact]
    public async Task AFold_WithoutASnapshot_ReadsTheWholeStream()
    {
        await using IEventStore store = await OpenStoreAsync();
        IEventStreamStore streams = (IEventStreamStore)store;
        await streams.AppendToStreamAsync("order-1", StreamVersion.NoStream, [Event(1), Event(2), Event(3)], new Tally(3, 6), SnapshotPolicy.Never);

        StreamState<Tally> folded = await streams.FoldStreamAsync("order-1", new Tally(0, 0), Apply);
        StreamState<Tally> empty = await streams.FoldStreamAsync("nobody", new Tally(0, 0), Apply);

        folded.Should().Be(new StreamState<Tally>(new Tally(3, 6), 3, 0));
        empty.Should().Be(new StreamState<Tally>(new Tally(0, 0), 0, 0));
    }

    /// <summary>Opens the store under test; every call in one test reaches the same data, through its own connection where the store has them.</summary>
    protected abstract Task<IEventStore> OpenStoreAsync();

    protected EventEnvelope Event(int data) => new EventBuilder("stream.event").WithData(data).Build(Time);

    private static Tally Apply(Tally tally, EventEnvelope e) => new(tally.Count + 1, tally.Sum + e.GetData<int>());

    private static async Task<List<StreamEvent>> ReadAsync(IEventStreamStore streams, string streamId, long fromVersion = 1)
    {
        List<StreamEvent> events = [];
        await foreach (StreamEvent streamEvent in streams.ReadStreamAsync(streamId, fromVersion))
        {
            events.Add(streamEvent);
        }

        return events;
    }
}
