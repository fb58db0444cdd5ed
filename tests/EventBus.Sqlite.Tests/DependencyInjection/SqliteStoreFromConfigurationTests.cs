using EventBus.Sqlite.Tests.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventBus.Sqlite.Tests.DependencyInjection;

/// <summary>The store's settings come from configuration and are checked before the host runs.</summary>
public sealed class SqliteStoreFromConfigurationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task TheBoundSettings_AreTheOnesTheStoreUses()
    {
        using IHost host = Build(new()
        {
            ["EventBus:Store:Path"] = _database.Path,
            ["EventBus:Store:BatchSize"] = "250",
            ["EventBus:Store:IndexCorrelationId"] = "true",
            ["EventBus:Store:SyncEveryCommit"] = "true",
        });
        await host.StartAsync();
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();

        PublishReport report = await bus.PublishAndWaitAsync(new EventBuilder("config.stored").WithCorrelation("c-1").Build());
        IEventStore store = host.Services.GetRequiredService<IEventStore>();
        await store.FlushAsync();
        EventPage page = await store.QueryAsync(new EventQuery { CorrelationId = "c-1" });
        await host.StopAsync();

        SqliteEventStoreOptions options = host.Services.GetRequiredService<IOptions<SqliteEventStoreOptions>>().Value;
        options.Should().BeEquivalentTo(new { Path = _database.Path, BatchSize = 250, IndexCorrelationId = true, SyncEveryCommit = true, WriteQueueCapacity = 100_000 });
        options.Catalog.Should().BeSameAs(host.Services.GetRequiredService<EventCatalog>());
        page.Events.Should().ContainSingle().Which.Id.Should().Be(report.EventId);
        File.Exists(_database.Path).Should().BeTrue();
        _database.Pragma("index_info(ix_events_correlation)").Should().NotBeEmpty("IndexCorrelationId from configuration created the index");
    }

    [Fact]
    public async Task InvalidSettings_StopTheHostFromStarting_WithEveryProblem()
    {
        using IHost host = Build(new()
        {
            ["EventBus:Store:Path"] = " ",
            ["EventBus:Store:BatchSize"] = "0",
        });

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
            "SqliteEventStoreOptions.Path is empty; give the database file's path.",
            "SqliteEventStoreOptions.BatchSize is 0; it must be at least 1.");
    }

    [Fact]
    public async Task AValueOfTheWrongKind_NamesItsKey()
    {
        using IHost host = Build(new()
        {
            ["EventBus:Store:Path"] = _database.Path,
            ["EventBus:Store:WriteQueueCapacity"] = "lots",
        });

        Func<Task> start = () => host.StartAsync();

        await start.Should().ThrowAsync<InvalidOperationException>().WithMessage("*EventBus:Store:WriteQueueCapacity*");
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(o => o.WorkerCount = 1).AddSqliteEventStore(configuration.GetSection("EventBus:Store"));
        return builder.Build();
    }
}
