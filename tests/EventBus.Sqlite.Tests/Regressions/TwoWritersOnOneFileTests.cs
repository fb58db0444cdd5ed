using EventBus.Sqlite.Tests.Storage;
using EventBus.Testing.Processes;

namespace EventBus.Sqlite.Tests.Regressions;

/// <summary>
/// Two stores on one file (two application instances, a restart overlap) each numbered rows from the maximum position
/// they read once at start, and a clash made the insert a no-op while the commit, and so the acknowledged critical
/// append, succeeded: 2 × 1,000 acknowledged appends left 1,000 rows. Each batch now reads the next position under
/// SQLite's write lock, and only a second copy of the same event is ever skipped.
/// </summary>
public sealed class TwoWritersOnOneFileTests : IDisposable
{
    private const int PerWriter = 1_000;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task TwoProcessesAppendingToOneFile_KeepEveryAcknowledgedEvent()
    {
        // The file exists before both start, as with two instances of one application.
        await new SqliteEventStore(new SqliteEventStoreOptions { Path = _database.Path }).DisposeAsync();

        Task<HashSet<Guid>> first = RunAppenderAsync(_database.Path);
        Task<HashSet<Guid>> second = RunAppenderAsync(_database.Path);
        HashSet<Guid>[] acknowledged = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromMinutes(2));

        acknowledged.Should().AllSatisfy(ids => ids.Should().HaveCount(PerWriter));
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        (await store.CountAsync()).Should().Be(2 * PerWriter);
        foreach (Guid id in acknowledged.SelectMany(ids => ids))
        {
            (await store.GetAsync(id)).Should().NotBeNull($"event {id} was acknowledged as committed");
        }
    }

    [Fact]
    public async Task TwoStoresInOneProcess_OnOneFile_KeepEveryAcknowledgedEvent()
    {
        await using SqliteEventStore a = new(new SqliteEventStoreOptions { Path = _database.Path });
        await using SqliteEventStore b = new(new SqliteEventStoreOptions { Path = _database.Path });
        EventEnvelope[] events = [.. Enumerable.Range(0, 2 * 200).Select(i => new EventBuilder("two.stores").WithData(i).Build())];

        await Task.WhenAll(events.Select((e, i) => (i % 2 == 0 ? a : b).AppendAsync(e, PersistenceLevel.Critical).AsTask()));

        (await a.CountAsync()).Should().Be(events.Length);
        EventPage page = await b.QueryAsync(new EventQuery { PageSize = 1_000 });
        page.Events.Select(e => e.Id).Should().BeEquivalentTo(events.Select(e => e.Id));
    }

    private static Task<HashSet<Guid>> RunAppenderAsync(string path) =>
        AppenderProcess.RunAsync(typeof(TwoWritersOnOneFileTests).Assembly, "--append", path, PerWriter.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
