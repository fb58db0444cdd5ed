using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Testing;

/// <summary>
/// Runs the real bus deterministically for a test: time comes from a <see cref="FakeTimeProvider"/>,
/// <see cref="WaitForIdleAsync"/> rests on the bus's own accounting (never on an inactivity timeout), and every
/// publication and handler invocation is recorded.
/// </summary>
/// <example>
/// <code>
/// await using EventBusHarness harness = await EventBusHarness.StartAsync();
/// harness.Bus.Subscribe("order.placed", e => ...);
/// await harness.Bus.PublishAsync(new EventBuilder("order.placed").Build(harness.Time));
/// await harness.WaitForIdleAsync();
/// harness.ExpectPublished("order.shipped").Once().After("order.placed");
/// </code>
/// </example>
public sealed class EventBusHarness : IAsyncDisposable
{
    private readonly RecordingEventBus _bus;

    private EventBusHarness(RecordingEventBus bus, FakeTimeProvider time)
    {
        _bus = bus;
        Time = time;
    }

    /// <summary>Gets the bus to hand to the code under test. It is the real bus, recording what passes through it.</summary>
    public IEventBus Bus => _bus;

    /// <summary>Gets the clock of the bus; advance it to pass time.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Gets every event published through <see cref="Bus"/>, in order.</summary>
    public RecordedEvents Published => _bus.Published;

    /// <summary>Gets every handler invocation, in completion order, with its outcome.</summary>
    public IReadOnlyList<HandledEvent> Handled => _bus.Handled;

    /// <summary>Gets the handler invocations that threw.</summary>
    public IReadOnlyList<HandledEvent> Failures => [.. _bus.Handled.Where(h => !h.Succeeded)];

    /// <summary>Creates a harness whose bus is created but not started, so a test can subscribe first.</summary>
    /// <param name="configure">Adjusts the bus options, or null.</param>
    /// <param name="time">The clock, or null for a new <see cref="FakeTimeProvider"/>.</param>
    /// <param name="loggerFactory">Where the bus logs, or null.</param>
    /// <returns>The harness.</returns>
    public static EventBusHarness Create(Action<EventBusOptions>? configure = null, FakeTimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        time ??= new FakeTimeProvider();
        IEventBus inner = EventBusFactory.Create(configure, loggerFactory, time);
        return new EventBusHarness(new RecordingEventBus(inner), time);
    }

    /// <summary>Creates a harness and starts its bus.</summary>
    /// <param name="configure">Adjusts the bus options, or null.</param>
    /// <param name="time">The clock, or null for a new <see cref="FakeTimeProvider"/>.</param>
    /// <returns>The started harness.</returns>
    public static async Task<EventBusHarness> StartAsync(Action<EventBusOptions>? configure = null, FakeTimeProvider? time = null)
    {
        EventBusHarness harness = Create(configure, time);
        await harness.Bus.StartAsync().ConfigureAwait(false);
        return harness;
    }

    /// <summary>
    /// Waits until every published event, including events that handlers publish in turn, has been handled, failed,
    /// dropped or discarded.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the bus is idle.</returns>
    public Task WaitForIdleAsync(CancellationToken cancellationToken = default) => _bus.WaitForIdleAsync(cancellationToken);

    /// <summary>Starts an expectation about the published events of a type or pattern.</summary>
    /// <param name="typePattern">An exact type or a pattern such as <c>phase.*</c>.</param>
    /// <returns>The expectation.</returns>
    public PublishedExpectation ExpectPublished(string typePattern) => new(_bus.Published, typePattern);

    /// <summary>Checks that no handler threw; the failure message lists each failure with its exception.</summary>
    public void ExpectNoFailures()
    {
        IReadOnlyList<HandledEvent> failures = Failures;
        if (failures.Count > 0)
        {
            throw new EventAssertionException(
                $"Expected no handler to fail, but {failures.Count} did:{Environment.NewLine}"
                + string.Join(Environment.NewLine, failures.Select(f => "  " + f)));
        }
    }

    /// <summary>Stops the bus, draining what was accepted.</summary>
    /// <returns>A task that completes when the bus has stopped.</returns>
    public ValueTask DisposeAsync() => _bus.DisposeAsync();
}
