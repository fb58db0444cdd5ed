using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace EventBus.Sqlite.Tests.Storage;

/// <summary>Payloads and snapshots are written with the contracts of the catalogue, under the store's own options when it has them.</summary>
public sealed class SqliteJsonContractsTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task OwnOptionsWithoutAResolver_KeepTheirNaming_AndTakeTheCataloguesContracts()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.Register("parcel.sent", "A parcel left", "shipping", typeof(ParcelSent)).AddJsonTypeInfoResolver(StoreContractsContext.Default);
        SqliteEventStoreOptions options = new()
        {
            Path = _database.Path,
            Catalog = catalog,
            JsonOptions = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower },
        };
        EventEnvelope sent = new EventBuilder("parcel.sent").WithData(new ParcelSent("p-1", 2.5m)).Build();
        await using (SqliteEventStore store = new(options))
        {
            await store.AppendAsync(sent);
            await store.SaveSnapshotAsync("parcel-p-1", 1, new ParcelSent("p-1", 2.5m));
            await store.FlushAsync();

            (await store.GetAsync(sent.Id))!.GetData<ParcelSent>().Should().Be(new ParcelSent("p-1", 2.5m));
            (await store.LoadSnapshotAsync<ParcelSent>("parcel-p-1"))!.State.Should().Be(new ParcelSent("p-1", 2.5m));
        }

        RawText("SELECT payload FROM events;").Should().Be("""{"parcel_id":"p-1","weight_kg":2.5}""");
        RawText("SELECT state FROM snapshots;").Should().Be("""{"parcel_id":"p-1","weight_kg":2.5}""");
    }

    [Fact]
    public async Task WithoutOptions_TheCataloguesWebDefaultsApply()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.Register("parcel.sent", "A parcel left", "shipping", typeof(ParcelSent)).AddJsonTypeInfoResolver(StoreContractsContext.Default);
        await using (SqliteEventStore store = new(new SqliteEventStoreOptions { Path = _database.Path, Catalog = catalog }))
        {
            await store.AppendAsync(new EventBuilder("parcel.sent").WithData(new ParcelSent("p-2", 1m)).Build());
            await store.FlushAsync();
        }

        RawText("SELECT payload FROM events;").Should().Be("""{"parcelId":"p-2","weightKg":1}""");
    }

    private string RawText(string sql)
    {
        using SqliteConnection connection = new($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Encoding.UTF8.GetString((byte[])command.ExecuteScalar()!);
    }
}

public sealed record ParcelSent(string ParcelId, decimal WeightKg);

[JsonSerializable(typeof(ParcelSent))]
internal sealed partial class StoreContractsContext : JsonSerializerContext;
