using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrderService;

namespace EventBus.Docs.Tests.Snippets;

/// <summary>The README's harness example, run against the order service sample.</summary>
public sealed class TestingSnippets
{
    [Fact]
    public async Task Harness_RunsTheRealBus_AndChecksWhatWasPublished()
    {
        // begin-snippet: testing
        await using EventBusHarness harness = EventBusHarness.Create();
        await using ServiceProvider provider = new ServiceCollection().AddOrderService().UseEventBusHarness(harness).BuildServiceProvider();
        await provider.GetRequiredService<IEventBus>().StartAsync();

        await provider.GetRequiredService<Orders>().PlaceAsync("order-8", 40m);
        await harness.WaitForIdleAsync();

        harness.ExpectPublished("order.shipped").ForWorkflow("order-8").Once().After("order.placed");
        harness.ExpectNoFailures();
        // end-snippet
    }
}
