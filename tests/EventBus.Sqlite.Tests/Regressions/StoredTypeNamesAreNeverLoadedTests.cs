using EventBus.Sqlite.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Sqlite.Tests.Regressions;

/// <summary>
/// The store read a payload as whatever type its stored name named (<c>Type.GetType</c>), so a file written by someone
/// else (or tampered with) could make the application instantiate any type it can load and run its setters. A payload
/// is now read only as a type the application declared: an alias in PayloadTypes, a payload type of the event catalogue,
/// or a string or plain value; any other comes back as an unreadable payload, and no code of its type runs.
/// </summary>
public sealed class StoredTypeNamesAreNeverLoadedTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AnUndeclaredPayloadType_IsNotInstantiated_AndReadsAsUnreadable_UntilTheCatalogueDeclaresIt()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        EventEnvelope stored = new EventBuilder("alarm.raised").WithData(new Tripwire { Armed = "yes" }).Build();
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path, Catalog = catalog });
        await store.AppendAsync(stored);
        await store.FlushAsync();
        Tripwire.Reset();

        UnreadablePayload unread = (await store.GetAsync(stored.Id))!.GetData<UnreadablePayload>();

        Tripwire.SetterRuns.Should().Be(0, "no code of a type nobody declared runs when a stored event is read");
        unread.TypeName.Should().Contain(typeof(Tripwire).FullName);
        unread.Error.Should().Contain("is not registered").And.Contain("event catalogue");
        unread.Json.Should().Contain("yes", "the payload's JSON is kept for whoever can read it");

        catalog.Register("alarm.raised", "An alarm", "alarms", typeof(Tripwire));
        Tripwire read = (await store.GetAsync(stored.Id))!.GetData<Tripwire>();

        read.Armed.Should().Be("yes", "a type the catalogue declares reads, even when it was declared after the store opened");
        Tripwire.SetterRuns.Should().Be(1);
    }

    [Fact]
    public async Task APayloadTypeDeclaredByReplacingARegistration_IsReadToo()
    {
        // The store kept its map of declared names while the catalogue's count stayed the same, and a replacement does
        // not change the count: the payload stayed unreadable until the process restarted.
        EventCatalog catalog = new EventCatalog(includeStandardEvents: false).Register("alarm.raised", "An alarm", "alarms");
        EventEnvelope stored = new EventBuilder("alarm.raised").WithData(new Tripwire { Armed = "yes" }).Build();
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path, Catalog = catalog });
        await store.AppendAsync(stored, PersistenceLevel.Critical);
        (await store.GetAsync(stored.Id))!.Data.Should().BeOfType<UnreadablePayload>();

        catalog.RegisterOrReplace(new EventTypeDescriptor("alarm.raised", "An alarm", "alarms", typeof(Tripwire)));

        (await store.GetAsync(stored.Id))!.GetData<Tripwire>().Armed.Should().Be("yes");
    }

    [Fact]
    public async Task StringsAndPlainValues_ReadWithoutDeclaration()
    {
        await using SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path });
        EventEnvelope[] stored = [
            new EventBuilder("value.text").WithData("hello").Build(),
            new EventBuilder("value.number").WithData(42).Build(),
            new EventBuilder("value.amount").WithData(9.5m).Build(),
            new EventBuilder("value.id").WithData(Guid.Empty).Build(),
        ];
        await store.AppendBatchAsync(stored);
        await store.FlushAsync();

        List<object?> read = [];
        foreach (EventEnvelope envelope in stored)
        {
            read.Add((await store.GetAsync(envelope.Id))!.Data);
        }

        read.Should().Equal("hello", 42, 9.5m, Guid.Empty);
    }

    [Fact]
    public async Task AStoreRegisteredWithTheBus_ReadsPayloadsByTheBussCatalogue()
    {
        ServiceCollection services = new();
        services.AddEventBus()
            .AddEventTypes(catalog => catalog.Register("alarm.raised", "An alarm", "alarms", typeof(Tripwire)))
            .AddSqliteEventStore(_database.Path);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IEventStore store = provider.GetRequiredService<IEventStore>();
        EventEnvelope stored = new EventBuilder("alarm.raised").WithData(new Tripwire { Armed = "twice" }).Build();

        await store.AppendAsync(stored, PersistenceLevel.Critical);

        (await store.GetAsync(stored.Id))!.GetData<Tripwire>().Armed.Should().Be("twice");
    }

    /// <summary>A payload whose setter leaves a trace: reading it as this type runs code of the application's.</summary>
    public sealed class Tripwire
    {
        private static int _setterRuns;

        public static int SetterRuns => Volatile.Read(ref _setterRuns);

        public string? Armed
        {
            get;
            set
            {
                Interlocked.Increment(ref _setterRuns);
                field = value;
            }
        }

        public static void Reset() => Volatile.Write(ref _setterRuns, 0);
    }
}
