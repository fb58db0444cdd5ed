using Microsoft.Extensions.Options;
using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace EventBus.Tests.Diagnostics;

public sealed class HealthTests
{
    private static readonly EventBusHealthOptions Defaults = new();

    [Theory]
    [InlineData(0, EventBusHealthStatus.Healthy)]
    [InlineData(799, EventBusHealthStatus.Healthy)]
    [InlineData(800, EventBusHealthStatus.Degraded)]
    [InlineData(949, EventBusHealthStatus.Degraded)]
    [InlineData(950, EventBusHealthStatus.Unhealthy)]
    public void QueueDepth_IsDegradedAt80Percent_AndUnhealthyAt95(long depth, EventBusHealthStatus expected) =>
        Evaluate(queueDepth: depth).Status.Should().Be(expected);

    [Theory]
    [InlineData(0, EventBusHealthStatus.Healthy)]
    [InlineData(1, EventBusHealthStatus.Degraded)]
    [InlineData(99, EventBusHealthStatus.Degraded)]
    [InlineData(100, EventBusHealthStatus.Unhealthy)]
    public void DeadLetters_AreDegradedFromOne_AndUnhealthyWhenTheQueueIsFull(int deadLetters, EventBusHealthStatus expected) =>
        Evaluate(deadLetters: deadLetters).Status.Should().Be(expected);

    [Theory]
    [InlineData(29, EventBusHealthStatus.Healthy)]
    [InlineData(30, EventBusHealthStatus.Degraded)]
    [InlineData(119, EventBusHealthStatus.Degraded)]
    [InlineData(120, EventBusHealthStatus.Unhealthy)]
    public void OldestPendingAge_IsDegradedAt30Seconds_AndUnhealthyAt2Minutes(int seconds, EventBusHealthStatus expected) =>
        Evaluate(oldest: TimeSpan.FromSeconds(seconds)).Status.Should().Be(expected);

    [Fact]
    public void ADeadWorkerOrAStoppedBus_IsUnhealthy_WithTheReason()
    {
        EventBusHealthReport deadWorker = Evaluate(workersAlive: 1);
        EventBusHealthReport stopped = Evaluate(state: EventBusState.Stopped);

        deadWorker.Status.Should().Be(EventBusHealthStatus.Unhealthy);
        deadWorker.Reasons.Should().Equal("1 of 2 dispatch workers are alive");
        stopped.Reasons.Should().Equal("the bus is Stopped, not running");
    }

    [Fact]
    public void CustomThresholds_Apply()
    {
        EventBusHealthOptions strict = new() { DegradedQueueRatio = 0.1, UnhealthyQueueRatio = 0.2, DegradedDeadLetters = 5, UnhealthyDeadLetters = 10 };

        EventBusHealthReport.Evaluate(strict, EventBusState.Running, 150, 1000, 2, 2, 5, 100, TimeSpan.Zero).Reasons
            .Should().Equal("the queue holds 150 of 1000 events (15%)", "5 dead letters are held");
        EventBusHealthReport.Evaluate(strict, EventBusState.Running, 0, 1000, 2, 2, 10, 100, TimeSpan.Zero).Status.Should().Be(EventBusHealthStatus.Unhealthy);
    }

    [Fact]
    public async Task ARunningBus_MovesFromHealthyToDegradedToUnhealthy_AsItsOldestEventAges()
    {
        WatchedTime time = new();
        await using IEventBus bus = await Buses.StartedAsync(o => o.WorkerCount = 2, time: time);
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal started = new(1);
        bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            started.Hit();
            await release.Task;
        });
        EventBusHealthCheck check = new(bus);
        bus.GetHealth().Status.Should().Be(EventBusHealthStatus.Healthy);

        await bus.PublishAsync(Buses.Event(time: time));
        await started.WaitAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        HealthCheckResult degraded = await check.CheckHealthAsync(new HealthCheckContext());
        time.Advance(TimeSpan.FromSeconds(90));
        EventBusHealthReport unhealthy = bus.GetHealth();
        release.SetResult();
        await bus.WaitForIdleAsync().Within();

        degraded.Status.Should().Be(HealthStatus.Degraded);
        degraded.Description.Should().Contain("oldest pending event is 30 s old");
        degraded.Data["workers_alive"].Should().Be(2);
        unhealthy.Status.Should().Be(EventBusHealthStatus.Unhealthy);
        unhealthy.OldestPendingAge.Should().Be(TimeSpan.FromMinutes(2));
        bus.GetHealth().Status.Should().Be(EventBusHealthStatus.Healthy);
    }

    [Fact]
    public async Task TheHealthCheck_ReportsDeadLettersAndAStoppedBus()
    {
        IEventBus bus = await Buses.StartedAsync();
        bus.Subscribe(EventFilter.All, (_, _) => throw new InvalidOperationException("down"));
        await bus.PublishAndWaitAsync(Buses.Event()).Within();
        EventBusHealthCheck check = new(bus);

        HealthCheckResult withDeadLetter = await check.CheckHealthAsync(new HealthCheckContext());
        await bus.StopAsync();
        HealthCheckResult whenStopped = await check.CheckHealthAsync(new HealthCheckContext());

        withDeadLetter.Status.Should().Be(HealthStatus.Degraded);
        withDeadLetter.Data["dead_letters"].Should().Be(1);
        whenStopped.Status.Should().Be(HealthStatus.Unhealthy);
        whenStopped.Description.Should().Contain("the bus is Stopped, not running");
    }

    [Fact]
    public async Task RegisteredWithTheHealthCheckService_TheCheckReportsHealthy()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(o => o.WorkerCount = 1);
        builder.Services.AddHealthChecks().AddEventBus(tags: ["ready"]);
        using IHost host = builder.Build();
        await host.StartAsync();

        HealthReport report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

        report.Entries["eventbus"].Status.Should().Be(HealthStatus.Healthy);
        report.Entries["eventbus"].Description.Should().Be("The event bus is healthy.");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddedToTheHealthChecks_WithThresholdsAndAFailureStatus_TheyApply()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(o => o.WorkerCount = 1);
        builder.Services.AddHealthChecks().AddEventBus("bus", o => o.DegradedDeadLetters = 2, failureStatus: HealthStatus.Degraded);
        using IHost host = builder.Build();
        await host.StartAsync();
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        bus.Subscribe("health.fail", _ => throw new InvalidOperationException("no"), new SubscriptionOptions { Retry = RetryPolicy.None });
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();

        await bus.PublishAndWaitAsync(Buses.Event("health.fail")).Within();
        HealthReport oneDeadLetter = await health.CheckHealthAsync();
        await bus.PublishAndWaitAsync(Buses.Event("health.fail")).Within();
        HealthReport twoDeadLetters = await health.CheckHealthAsync();
        await host.StopAsync();
        HealthReport stopped = await health.CheckHealthAsync();

        oneDeadLetter.Entries["bus"].Status.Should().Be(HealthStatus.Healthy, "the threshold was raised to two dead letters");
        twoDeadLetters.Entries["bus"].Status.Should().Be(HealthStatus.Degraded);
        stopped.Entries["bus"].Status.Should().Be(HealthStatus.Degraded, "a failure reports the registration's failure status");
        stopped.Entries["bus"].Description.Should().Contain("not running");
    }

    [Fact]
    public async Task ThresholdsThatContradictEachOther_StopTheHostFromStarting_WithEveryProblem()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddEventBus(o => o.WorkerCount = 1);
        builder.Services.AddHealthChecks().AddEventBus(configure: o =>
        {
            o.DegradedQueueRatio = 0.9;
            o.UnhealthyQueueRatio = 0.5;
            o.UnhealthyPendingAge = TimeSpan.FromSeconds(1);
        });
        using IHost host = builder.Build();

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Failures.Should().HaveCount(2)
            .And.Contain(f => f.Contains("DegradedQueueRatio is 0.9") && f.Contains("UnhealthyQueueRatio 0.5"))
            .And.Contain(f => f.Contains("UnhealthyPendingAge 00:00:01"));
    }

    private static EventBusHealthReport Evaluate(long queueDepth = 0, int deadLetters = 0, TimeSpan oldest = default, int workersAlive = 2, EventBusState state = EventBusState.Running) =>
        EventBusHealthReport.Evaluate(Defaults, state, queueDepth, 1000, workersAlive, 2, deadLetters, 100, oldest);
}
