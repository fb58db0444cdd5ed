using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Handlers;

/// <summary>The two middleware that ship with the bus: the handling log and the payload validation.</summary>
public sealed class BuiltInMiddlewareTests
{
    [Fact]
    public async Task TheHandlingLog_LogsEachHandlingWithItsDuration_AndEachFailureWithItsException()
    {
        FakeTimeProvider time = Buses.FakeTime();
        FakeLogCollector logs = new();
        await using ServiceProvider provider = Build(time, logs, builder => builder
            .AddHandlingLog()
            .AddPayloadHandler<SlowHandler, Order>(options: new SubscriptionOptions { Retry = RetryPolicy.None }));
        IEventBus bus = await provider.StartedBusAsync();
        EventEnvelope good = bus.CreateEvent(new Order(5));
        EventEnvelope bad = bus.CreateEvent(new Order(-1));

        await bus.PublishAndWaitAsync(good).Within();
        await bus.PublishAndWaitAsync(bad).Within();

        FakeLogRecord handled = logs.GetSnapshot().Single(r => r.Id.Id == 70);
        handled.Level.Should().Be(LogLevel.Debug);
        handled.Message.Should().Be($"SlowHandler handled order {good.Id} in 5 ms");
        FakeLogRecord failed = logs.GetSnapshot().Single(r => r.Id.Id == 71);
        failed.Level.Should().Be(LogLevel.Warning);
        failed.Message.Should().Be($"SlowHandler failed to handle order {bad.Id} after 5 ms");
        failed.Exception.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("negative order");
    }

    [Fact]
    public async Task TheHandlingLog_WithoutLoggingRegistered_LetsHandlersRun()
    {
        ServiceCollection services = new();
        services.AddSingleton(Buses.FakeTime());
        services.AddEventBus().AddHandlingLog().AddPayloadHandler<SlowHandler, Order>();
        await using ServiceProvider provider = services.BuildServiceProvider();
        IEventBus bus = await provider.StartedBusAsync();

        PublishReport report = await bus.PublishAndWaitAsync(new Order(1)).Within();

        report.Succeeded.Should().BeTrue("an application without logging gets no handling log, not a failing handler");
    }

    [Fact]
    public async Task PayloadValidation_DeadLettersAnEventThatDoesNotFitTheCatalogue_WithoutRetryOrHandler()
    {
        FakeLogCollector logs = new();
        await using ServiceProvider provider = Build(Buses.FakeTime(), logs, builder => builder
            .AddEventTypes(catalog => catalog.Register<Order>())
            .AddPayloadValidation()
            .AddEventHandler<CountingHandler>(EventFilter.All, new SubscriptionOptions { Retry = RetryPolicy.Fixed(3, TimeSpan.Zero) }));
        IEventBus bus = await provider.StartedBusAsync();
        CountingHandler.Reset();

        PublishReport misfit = await bus.PublishAndWaitAsync(new EventBuilder("order").WithData("not an order").Build()).Within();
        PublishReport fits = await bus.PublishAndWaitAsync(new Order(1)).Within();
        PublishReport unknown = await bus.PublishAndWaitAsync(Buses.Event("other.thing", data: 42)).Within();

        misfit.Succeeded.Should().BeFalse();
        (fits.Succeeded, unknown.Succeeded).Should().Be((true, true), "a fitting payload and a type the catalogue does not describe pass");
        CountingHandler.Count.Should().Be(2, "the handler never saw the misfit");
        DeadLetter dead = bus.DeadLetters.List().Should().ContainSingle().Which;
        dead.Attempts.Should().Be(1, "a schema failure is never retried");
        (dead.ExceptionType, dead.Reason).Should().Be((typeof(EventSchemaException).FullName, DeadLetterReason.Failed));
        dead.ExceptionMessage.Should().Contain("'order'").And.Contain(typeof(Order).FullName);
    }

    private static ServiceProvider Build(FakeTimeProvider time, FakeLogCollector logs, Action<IEventBusBuilder> register)
    {
        ServiceCollection services = new();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(time);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFakeLogging().Services.AddSingleton(logs));
        register(services.AddEventBus());
        return services.BuildServiceProvider();
    }

    public sealed record Order(int Number);

    internal sealed class SlowHandler(FakeTimeProvider time) : IEventHandler<Order>
    {
        public ValueTask HandleAsync(EventEnvelope envelope, Order payload, CancellationToken cancellationToken)
        {
            time.Advance(TimeSpan.FromMilliseconds(5));
            return payload.Number < 0 ? throw new InvalidOperationException("negative order") : ValueTask.CompletedTask;
        }
    }

    internal sealed class CountingHandler : IEventHandler
    {
        private static int _count;

        public static int Count => Volatile.Read(ref _count);

        public static void Reset() => Volatile.Write(ref _count, 0);

        public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }
    }
}
