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

    private EventBusHarness(RecordingEventBus bus, FakeTimeProvider time, IEventStore? store)
    {
        _bus = bus;
        Time = time;
        Store = store;
    }

    /// <summary>Gets the bus to hand to the code under test. It is the real bus, recording what passes through it.</summary>
    public IEventBus Bus => _bus;

    /// <summary>Gets the clock of the bus; advance it to pass time.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Gets the store the bus writes published events (and dead letters) to, or null when it has none.</summary>
    public IEventStore? Store { get; }

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
    /// <param name="store">
    /// The store the bus writes published events to by persistence level, and keeps its dead letters in (an
    /// <see cref="InMemoryEventStore"/> for a test of replay or recovery), or null for none.
    /// </param>
    /// <param name="storeOptions">The persistence levels, or null for the defaults.</param>
    /// <returns>The harness.</returns>
    public static EventBusHarness Create(
        Action<EventBusOptions>? configure = null,
        FakeTimeProvider? time = null,
        ILoggerFactory? loggerFactory = null,
        IEventStore? store = null,
        EventStoreOptions? storeOptions = null)
    {
        time ??= new FakeTimeProvider();
        IEventBus inner = EventBusFactory.Create(configure, loggerFactory, time, store: store, storeOptions: storeOptions);
        return new EventBusHarness(new RecordingEventBus(inner), time, store);
    }

    /// <summary>Creates a harness and starts its bus.</summary>
    /// <param name="configure">Adjusts the bus options, or null.</param>
    /// <param name="time">The clock, or null for a new <see cref="FakeTimeProvider"/>.</param>
    /// <param name="store">The store the bus writes to (see <see cref="Create"/>), or null for none.</param>
    /// <returns>The started harness.</returns>
    public static async Task<EventBusHarness> StartAsync(Action<EventBusOptions>? configure = null, FakeTimeProvider? time = null, IEventStore? store = null)
    {
        EventBusHarness harness = Create(configure, time, store: store);
        await harness.Bus.StartAsync().ConfigureAwait(false);
        return harness;
    }

    /// <summary>
    /// Waits until every published event, including events that handlers publish in turn, has been handled, failed,
    /// dropped or discarded.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the bus is idle.</returns>
    /// <exception cref="InvalidOperationException">
    /// The bus was never started and holds published events: they are delivered only once it starts, so the wait could
    /// never end.
    /// </exception>
    public Task WaitForIdleAsync(CancellationToken cancellationToken = default)
    {
        if (_bus.State == EventBusState.Created && _bus.GetStatistics().Outstanding is > 0 and long held)
        {
            throw new InvalidOperationException(
                $"The harness's bus was created but never started, and it holds {held} published event(s) until it starts, so waiting for it to be idle would never end. " +
                "Start it first: await harness.Bus.StartAsync() after subscribing, or create the harness with EventBusHarness.StartAsync().");
        }

        return _bus.WaitForIdleAsync(cancellationToken);
    }

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
