using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Tests.Requests;

/// <summary>Typed request/response: a query object sent, its handler resolved per query with the middleware, its answer typed.</summary>
public sealed class TypedQueryTests
{
    [Fact]
    public async Task ATypedQuery_IsAnsweredByItsHandler_InAScope_WithTheMiddleware()
    {
        await using ServiceProvider provider = Build(builder => builder
            .AddEventMiddleware<CountingMiddleware>()
            .AddQueryHandler<StockLevelHandler, StockLevel, int>());
        QueryClient queries = await StartedAsync(provider);

        int level = await queries.SendAsync(new StockLevel("sku-1")).AsTask().Within();
        int other = await queries.SendAsync(new StockLevel("sku-22"), CancellationToken.None).AsTask().Within();

        (level, other).Should().Be((5, 6));
        provider.GetRequiredService<Counter>().Count.Should().Be(2, "the middleware ran around each answer");
    }

    [Fact]
    public async Task AFailingHandler_GivesTheSenderAQueryFailedException_WithTheError()
    {
        await using ServiceProvider provider = Build(builder => builder.AddQueryHandler<StockLevelHandler, StockLevel, int>());
        QueryClient queries = await StartedAsync(provider);

        QueryFailedException failure = (await FluentActions.Awaiting(async () => await queries.SendAsync(new StockLevel(""), TimeSpan.FromSeconds(30), target: null, CancellationToken.None))
            .Should().ThrowAsync<QueryFailedException>()).Which;

        failure.Error!.Code.Should().Be(nameof(ArgumentException));
        failure.Error.Message.Should().Contain("empty sku");
    }

    [Fact]
    public async Task TheQueryType_JoinsTheCatalogueAsAQuery()
    {
        await using ServiceProvider provider = Build(builder => builder.AddQueryHandler<StockLevelHandler, StockLevel, int>());

        EventCatalog catalog = provider.GetRequiredService<EventCatalog>();

        catalog.TryGet("stock.level", out EventTypeDescriptor? descriptor).Should().BeTrue();
        (descriptor!.Kind, descriptor.PayloadType).Should().Be((EventKind.Query, typeof(StockLevel)));
    }

    [Fact]
    public void ASecondHandlerForOneQuery_IsRefusedAtRegistration_NamingBoth()
    {
        IEventBusBuilder builder = new ServiceCollection().AddEventBus().AddQueryHandler<StockLevelHandler, StockLevel, int>();

        builder.Invoking(b => b.AddQueryHandler<OtherStockHandler, StockLevel, int>())
            .Should().Throw<InvalidOperationException>().WithMessage($"*{nameof(StockLevel)}*two handlers*{nameof(StockLevelHandler)}*{nameof(OtherStockHandler)}*");
        builder.Invoking(b => b.AddQueryHandler<StockLevelHandler, StockLevel, int>())
            .Should().Throw<InvalidOperationException>().WithMessage("*registered already*once*");
    }

    [Fact]
    public async Task ANullQuery_IsRefused()
    {
        await using ServiceProvider provider = Build(_ => { });
        QueryClient queries = provider.GetRequiredService<QueryClient>();

        await FluentActions.Awaiting(async () => await queries.SendAsync<int>((IQuery<int>)null!)).Should().ThrowAsync<ArgumentNullException>();
    }

    private static ServiceProvider Build(Action<IEventBusBuilder> register)
    {
        ServiceCollection services = new();
        services.AddSingleton<Counter>();
        register(services.AddEventBus());
        return services.BuildServiceProvider();
    }

    private static async Task<QueryClient> StartedAsync(ServiceProvider provider)
    {
        await provider.StartedBusAsync();
        return provider.GetRequiredService<QueryClient>();
    }

    public sealed record StockLevel(string Sku) : IQuery<int>;

    internal sealed class Counter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Hit() => Interlocked.Increment(ref _count);
    }

    internal sealed class CountingMiddleware(Counter counter) : IEventMiddleware
    {
        public ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
        {
            counter.Hit();
            return nextStep();
        }
    }

    internal sealed class OtherStockHandler : IQueryHandler<StockLevel, int>
    {
        public ValueTask<int> HandleAsync(EventEnvelope envelope, StockLevel query, CancellationToken cancellationToken) => ValueTask.FromResult(0);
    }

    internal sealed class StockLevelHandler(IHandlerContext context) : IQueryHandler<StockLevel, int>
    {
        public ValueTask<int> HandleAsync(EventEnvelope envelope, StockLevel query, CancellationToken cancellationToken)
        {
            envelope.Should().BeSameAs(context.Envelope);
            envelope.Kind.Should().Be(EventKind.Query);
            return query.Sku.Length == 0 ? throw new ArgumentException("empty sku", nameof(query)) : ValueTask.FromResult(query.Sku.Length);
        }
    }
}
