using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Tests.Handlers;

/// <summary>
/// An empty middleware pipeline costs nothing: a DI-scoped handling through the invoker allocates exactly what its own
/// steps do by hand (the scope, the handler context, the handler), with no delegate chain.
/// </summary>
[Collection(nameof(AllocationSensitive))]
public sealed class HandlerPipelineAllocationTests
{
    private const int Handlings = 20_000;

    [Fact]
    public async Task AnEmptyPipeline_AllocatesNoMoreThanTheScopeContextAndHandler()
    {
        ServiceCollection services = new();
        services.AddEventBus();
        services.AddScoped<NoOpHandler>();
        await using ServiceProvider provider = services.BuildServiceProvider();
        IServiceScopeFactory scopes = provider.GetRequiredService<IServiceScopeFactory>();
        ScopedHandlerInvoker invoker = new(provider, static (services, envelope, cancellationToken) => services.GetRequiredService<NoOpHandler>().HandleAsync(envelope, cancellationToken));
        await using IEventBus bus = Buses.Create();
        ISubscription subscription = invoker.Subscribe(bus, EventFilter.Pattern("never.published"), new SubscriptionOptions { SubscriberId = "noop" });
        EventEnvelope envelope = Buses.Event();

        async ValueTask ByHand()
        {
            AsyncServiceScope scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                scope.ServiceProvider.GetRequiredService<HandlerContext>().Begin(envelope, subscription, CancellationToken.None);
                await scope.ServiceProvider.GetRequiredService<NoOpHandler>().HandleAsync(envelope, CancellationToken.None);
            }
        }

        double invoked = BytesPerCall(() => invoker.HandleAsync(envelope, CancellationToken.None));
        double byHand = BytesPerCall(ByHand);

        invoked.Should().BeGreaterThan(0, "the scope, context and handler are allocated; the measure must see them");
        invoked.Should().BeLessThanOrEqualTo(byHand + 0.5, $"the invoker allocated {invoked:N1} bytes per handling where its steps by hand take {byHand:N1}");
    }

    /// <summary>The fewest bytes per call over five rounds, after a warm-up round.</summary>
    private static double BytesPerCall(Func<ValueTask> call)
    {
        double best = double.MaxValue;
        for (int round = 0; round < 6; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Handlings; i++)
            {
                ValueTask pending = call();
                if (!pending.IsCompletedSuccessfully)
                {
                    throw new InvalidOperationException("the handling did not complete at once; the measure assumes it does, on this thread");
                }

                pending.GetAwaiter().GetResult();
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round > 0)
            {
                best = Math.Min(best, allocated / (double)Handlings);
            }
        }

        return best;
    }

    internal sealed class NoOpHandler : IEventHandler
    {
        public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
