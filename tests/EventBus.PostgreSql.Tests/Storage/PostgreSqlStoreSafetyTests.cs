using EventBus.PostgreSql.Tests.Server;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>What the PostgreSQL store does around its data: errors that name the database but never the password, a newer schema refused, and the bus storing through it.</summary>
[Collection(SharedServer.Name)]
public sealed class PostgreSqlStoreSafetyTests(PostgresServer server)
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task AnUnreachableServer_GivesAnErrorNamingIt_WithoutThePassword()
    {
        const string Secret = "s3cret-Pa55";
        await using PostgreSqlEventStore store = new(new PostgreSqlEventStoreOptions { ConnectionString = $"Host=127.0.0.1;Port=1;Username=app;Password={Secret};Database=orders;Timeout=2" });

        EventStoreException failure = (await FluentActions.Awaiting(async () => await store.CountAsync()).Should().ThrowAsync<EventStoreException>()).Which;

        failure.Message.Should().Contain("127.0.0.1:1/orders").And.NotContain(Secret);
        failure.InnerException.Should().BeAssignableTo<NpgsqlException>();
        store.ToString().Should().NotContain(Secret);
    }

    [Fact]
    public async Task ASchemaFromANewerVersion_IsRefused_AndLeftUntouched()
    {
        await using (PostgreSqlEventStore store = Open())
        {
            (await store.CountAsync()).Should().Be(0);
        }

        await ExecuteAsync($"UPDATE {_schema}.schema_version SET version = 99");
        await using PostgreSqlEventStore newer = Open();

        EventStoreException refused = (await FluentActions.Awaiting(async () => await newer.CountAsync()).Should().ThrowAsync<EventStoreException>()).Which;

        refused.Message.Should().Contain("schema version 99").And.Contain("reads up to 1").And.Contain(_schema);
        (await ScalarAsync($"SELECT version FROM {_schema}.schema_version")).Should().Be(99);
    }

    [Fact]
    public void BadOptions_AreRefused_NamingEach()
    {
        Action create = () => _ = new PostgreSqlEventStore(new PostgreSqlEventStoreOptions { ConnectionString = " ", Schema = "Bad-Name" });

        create.Should().Throw<ArgumentException>().WithMessage("*ConnectionString is empty*Schema is 'Bad-Name'*");
    }

    [Fact]
    public async Task TheBus_StoresThroughIt_WhenRegistered()
    {
        ServiceCollection services = new();
        services.AddLogging();
        services.AddEventBus().AddPostgreSqlEventStore(server.ConnectionString, o => o.Schema = _schema, levels => levels.Persist("order.#", PersistenceLevel.Critical));
        await using ServiceProvider provider = services.BuildServiceProvider();
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        await bus.StartAsync();
        EventEnvelope placed = new EventBuilder("order.placed").WithWorkflow("order-1").Build();

        await bus.PublishAsync(placed);
        IEventStore store = provider.GetRequiredService<IEventStore>();

        store.Should().BeOfType<PostgreSqlEventStore>();
        (await store.GetAsync(placed.Id))!.WorkflowId.Should().Be("order-1", "a critical event is stored before PublishAsync returns");
        await bus.StopAsync();
    }

    [Fact]
    public async Task PayloadsRead_AsTheBussCatalogueDeclares_AndNoOtherType()
    {
        ServiceCollection services = new();
        services.AddEventBus()
            .AddEventTypes(catalog => catalog.Register("order.noted", "A note", "orders", typeof(Note)))
            .AddPostgreSqlEventStore(server.ConnectionString, o => o.Schema = _schema);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IEventStore store = provider.GetRequiredService<IEventStore>();
        EventEnvelope declared = new EventBuilder("order.noted").WithData(new Note("kept")).Build();
        EventEnvelope undeclared = new EventBuilder("order.other").WithData(new Undeclared("x")).Build();

        await store.AppendBatchAsync([declared, undeclared]);

        (await store.GetAsync(declared.Id))!.GetData<Note>().Should().Be(new Note("kept"));
        (await store.GetAsync(undeclared.Id))!.GetData<UnreadablePayload>().Error.Should().Contain("is not registered");
    }

    public sealed record Note(string Text);

    public sealed record Undeclared(string Text);

    private PostgreSqlEventStore Open() => new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });

    private async Task ExecuteAsync(string sql)
    {
        await using NpgsqlConnection connection = new(server.ConnectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand command = new(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using NpgsqlConnection connection = new(server.ConnectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand command = new(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
