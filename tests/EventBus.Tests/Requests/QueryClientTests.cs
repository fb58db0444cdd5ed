using EventBus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Requests;

public sealed class QueryClientTests
{
    [Fact]
    public async Task Send_ReturnsTheResponseCausedByTheQuery()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2);
        await using QueryClient client = new(bus, new EventPublisherOptions { Source = "shop" });
        client.Respond("stock.level", (query, _) => ValueTask.FromResult<object?>(query.GetData<string>() == "A-1" ? 17 : 0));

        QueryResponse response = await client.SendAsync("stock.level", "A-1", target: "inventory").Within();

        response.Succeeded.Should().BeTrue();
        response.GetData<int>().Should().Be(17);
        response.Query.Type.Should().Be("stock.level");
        response.Query.Kind.Should().Be(EventKind.Query);
        response.Query.Source.Should().Be("shop");
        response.Query.Target.Should().Be("inventory");
        response.Response.Type.Should().Be("stock.level.response");
        response.Response.CausationId.Should().Be(response.Query.Id);
        response.Response.CorrelationId.Should().Be(response.Query.CorrelationId);
        response.Response.Target.Should().Be("shop");
        client.PendingCount.Should().Be(0);
        (await client.SendAsync<int>("stock.level", "B-2").Within()).Should().Be(0);
    }

    [Fact]
    public async Task AFailingResponder_SurfacesAsAFailedResult_AndAsATypedException()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        await using QueryClient client = new(bus);
        client.Respond("stock.level", (query, _) => throw new KeyNotFoundException($"no sku {query.Data}"));

        QueryResponse response = await client.SendAsync("stock.level", "Z-9").Within();
        Func<Task> typed = () => client.SendAsync<int>("stock.level", "Z-9").AsTask();

        response.Succeeded.Should().BeFalse();
        response.Error.Should().Be(new ErrorDetails("KeyNotFoundException", "no sku Z-9") { SourceEventId = response.Query.Id });
        response.Response.Metadata[EventMetadataKeys.Success].Should().Be("false");
        QueryFailedException failed = (await typed.Should().ThrowAsync<QueryFailedException>()).Which;
        failed.Message.Should().Contain("'stock.level'").And.Contain("KeyNotFoundException: no sku Z-9");
        failed.Error!.Code.Should().Be("KeyNotFoundException");
        await bus.WaitForIdleAsync().Within();
        bus.GetStatistics().Failed.Should().Be(2, "the responder's exception is still counted by the bus");
    }

    [Fact]
    public async Task NoResponder_TimesOutOnTheFakeClock_NamingTheQuery()
    {
        FakeTimeProvider time = Buses.FakeTime();
        await using IEventBus bus = await Buses.StartedAsync(time: time);
        await using QueryClient client = new(bus);

        ValueTask<QueryResponse> pending = client.SendAsync("price.quote", target: "pricing", timeout: TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        pending.IsCompleted.Should().BeFalse("the timeout has not passed yet");
        client.PendingCount.Should().Be(1);
        time.Advance(TimeSpan.FromTicks(1));

        QueryTimeoutException timeout = (await FluentActions.Awaiting(() => pending.AsTask()).Should().ThrowAsync<QueryTimeoutException>()).Which;
        timeout.Message.Should().Contain("'price.quote'").And.Contain("to 'pricing'").And.Contain("00:00:05");
        timeout.Timeout.Should().Be(TimeSpan.FromSeconds(5));
        timeout.Query!.ExpiresAt.Should().Be(timeout.Query.Timestamp + TimeSpan.FromSeconds(5), "a query is not worth answering after its requester gave up");
        client.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task AResponseAfterTheTimeout_IsCountedAsUnmatched()
    {
        FakeTimeProvider time = Buses.FakeTime();
        await using IEventBus bus = await Buses.StartedAsync(time: time);
        await using QueryClient client = new(bus, new EventPublisherOptions { Source = "shop" });
        ValueTask<QueryResponse> pending = client.SendAsync("price.quote", timeout: TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        EventEnvelope query = (await FluentActions.Awaiting(() => pending.AsTask()).Should().ThrowAsync<QueryTimeoutException>()).Which.Query!;

        await new MessagePublisher(bus).PublishResponseAsync(query, 9.99m);
        await bus.WaitForIdleAsync().Within();

        client.UnmatchedResponses.Should().Be(1);
    }

    [Fact]
    public async Task Cancellation_StopsWaiting_AndForgetsThePendingQuery()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        await using QueryClient client = new(bus);
        using CancellationTokenSource cancel = new();

        ValueTask<QueryResponse> pending = client.SendAsync("price.quote", timeout: TimeSpan.FromMinutes(5), cancellationToken: cancel.Token);
        client.PendingCount.Should().Be(1);
        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => pending.AsTask()).Should().ThrowAsync<OperationCanceledException>();
        client.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task TenThousandConcurrentRequests_EachGetTheirOwnResponse()
    {
        const int Requests = 10_000;
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2);
        await using QueryClient client = new(bus);
        client.Respond("math.double", async (query, _) =>
        {
            await Task.Yield();
            return query.GetData<int>() * 2;
        });

        Task<int>[] requests = new Task<int>[Requests];
        for (int i = 0; i < Requests; i++)
        {
            requests[i] = client.SendAsync<int>("math.double", i, timeout: TimeSpan.FromMinutes(5)).AsTask();
        }

        int[] answers = await Task.WhenAll(requests).Within();

        answers.Should().Equal(Enumerable.Range(0, Requests).Select(i => i * 2));
        client.PendingCount.Should().Be(0);
        client.UnmatchedResponses.Should().Be(0);
    }

    [Fact]
    public async Task BadTimeouts_AreRefusedWithTheValue()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        await using QueryClient client = new(bus);

        Func<Task> zero = () => client.SendAsync("x.y", timeout: TimeSpan.Zero).AsTask();
        Action badDefault = () => _ = new QueryClient(bus, new EventPublisherOptions { QueryTimeout = TimeSpan.FromSeconds(-1) });

        (await zero.Should().ThrowAsync<ArgumentOutOfRangeException>()).WithMessage("*00:00:00*positive*");
        badDefault.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*-00:00:01*");
    }
}
