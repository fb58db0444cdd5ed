using EventBus.Tests.Support;

namespace EventBus.Tests.Regressions;

/// <summary>
/// Nothing bounded an envelope's text: a 10 MB workflow id and a 16 MB metadata value were accepted and delivered.
/// <c>Concurrency = int.MaxValue</c> ran out of memory and <c>WorkerCount = 100,000</c> took 273 MB instead of failing
/// validation; <c>WithExpiry(TimeSpan.MaxValue)</c> failed with an unrelated overflow; and subscription options
/// reported only their first problem. Each now fails with a clear message, and the envelope limits are configurable.
/// </summary>
public sealed class EnvelopeAndOptionLimitsTests
{
    [Fact]
    public async Task AnOversizedWorkflowId_IsRefusedAtPublish_NamingTheFieldAndTheOption()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        int handled = 0;
        bus.Subscribe(EventFilter.All, _ => Interlocked.Increment(ref handled));
        EventEnvelope huge = new EventBuilder("limits.test").WithWorkflow(new string('w', 10_000_000)).Build();

        Func<Task> publish = async () => await bus.PublishAsync(huge);

        (await publish.Should().ThrowAsync<ArgumentException>())
            .WithMessage("*WorkflowId*10000000 characters*limit is 256*EventBusOptions.Limits.MaxIdLength*");
        await bus.WaitForIdleAsync().Within();
        handled.Should().Be(0);
        bus.GetStatistics().Published.Should().Be(0);
    }

    [Fact]
    public async Task OversizedOrTooManyMetadataEntries_AreRefused_AndABatchIsRefusedWhole()
    {
        await using IEventBus bus = await Buses.StartedAsync();
        EventEnvelope bigValue = new EventBuilder("limits.test").WithMetadata("blob", new string('m', 16_000_000)).Build();
        EventBuilder many = new("limits.test");
        for (int i = 0; i < 65; i++)
        {
            many.WithMetadata("k" + i, "v");
        }

        Func<Task> publishBig = async () => await bus.PublishAsync(bigValue);
        Func<Task> publishMany = async () => await bus.PublishAsync(many.Build());
        Func<Task> publishBatch = async () => await bus.PublishBatchAsync([Buses.Event(), bigValue]);

        (await publishBig.Should().ThrowAsync<ArgumentException>()).WithMessage("*metadata 'blob'*16000000 characters*limit is 8192*MaxMetadataValueLength*");
        (await publishMany.Should().ThrowAsync<ArgumentException>()).WithMessage("*65 metadata entries*limit is 64*MaxMetadataCount*");
        await publishBatch.Should().ThrowAsync<ArgumentException>();
        bus.GetStatistics().Published.Should().Be(0, "no event of the refused batch was accepted");
    }

    [Fact]
    public async Task TheLimitsAreConfigurable()
    {
        await using IEventBus bus = await Buses.StartedAsync(o => o.Limits.MaxIdLength = 20_000);
        EventEnvelope longId = new EventBuilder("limits.test").WithCorrelation(new string('c', 10_000)).Build();

        PublishReport report = await bus.PublishAndWaitAsync(longId).Within();

        report.Outcomes.Should().BeEmpty();
        bus.GetStatistics().Published.Should().Be(1);
    }

    [Fact]
    public void ImpossibleWorkerAndLaneCounts_AreValidationErrors()
    {
        FluentActions.Invoking(() => EventBusFactory.Create(o => o.WorkerCount = 100_000))
            .Should().Throw<ArgumentException>().WithMessage("*WorkerCount is 100000; it must be from 1 to 1024*");
        FluentActions.Invoking(() => Buses.Create().Subscribe(EventFilter.All, _ => { }, new SubscriptionOptions { Concurrency = int.MaxValue }))
            .Should().Throw<ArgumentException>().WithMessage("*Concurrency is 2147483647; it must be from 1 to 1024*");
    }

    [Fact]
    public void AnExpiryPastTheEndOfTime_SaysSo()
    {
        FluentActions.Invoking(() => new EventBuilder("limits.test").WithExpiry(TimeSpan.MaxValue).Build())
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*time to live*past the latest time*shorter time to live*");
    }

    [Fact]
    public void SubscriptionOptions_ReportEveryProblemAtOnce()
    {
        SubscriptionOptions options = new() { Concurrency = 0, BufferCapacity = 0, HandlerTimeout = TimeSpan.FromSeconds(-1), FullMode = (SubscriptionFullMode)7 };

        FluentActions.Invoking(() => Buses.Create().Subscribe(EventFilter.All, _ => { }, options))
            .Should().Throw<ArgumentException>()
            .WithMessage("*HandlerTimeout is -00:00:01*Concurrency is 0*FullMode is 7*BufferCapacity is 0*");
    }
}
