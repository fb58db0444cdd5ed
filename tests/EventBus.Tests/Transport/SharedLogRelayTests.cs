using EventBus.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Transport;

/// <summary>
/// The durable relay on a log that several processes share: it sends only while it holds the log's lease, stops when it
/// loses it and takes it again, and, stopping, checkpoints what the publisher took so that nobody sends it again.
/// </summary>
public sealed class SharedLogRelayTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly SharedLog _log = new();
    private readonly FakeLogCollector _logs = new();

    [Fact]
    public async Task TheRelay_SendsOnlyWhileItHoldsTheLease_AndWhenItLosesIt_TakesItAgain_FromTheCheckpoint()
    {
        InMemoryExternalPublisher publisher = new("memory");
        IEventLogLease other = await _log.AcquireLeaseAsync("other instance");
        using IHost host = await StartAsync(publisher);
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        EventEnvelope first = new EventBuilder("order.placed").Build();
        await bus.PublishAsync(first);
        await _log.LeaseAwaited.Task.WaitAsync(Hang);

        publisher.Sent.Should().BeEmpty("another instance holds the lease");
        ExternalRelayStatistics relay = host.Services.GetRequiredService<ExternalRelays>()["memory"];
        relay.IsSending.Should().BeFalse();
        relay.ToString().Should().Contain("waiting for the log's lease");
        _logs.GetSnapshot().Should().Contain(r => r.Message.Contains("another process holds its lease", StringComparison.Ordinal));
        await other.DisposeAsync();
        await publisher.WaitForSentAsync(1).WaitAsync(Hang);
        relay.IsSending.Should().BeTrue("it holds the lease now");
        await _log.WaitForCheckpointAsync("external:memory", 1);
        _log.Holder!.Lose();
        EventEnvelope second = new EventBuilder("order.paid").Build();
        await bus.PublishAsync(second);
        await publisher.WaitForSentAsync(2).WaitAsync(Hang);

        publisher.Sent.Select(e => e.Id).Should().Equal([first.Id, second.Id], "after losing the lease the relay took it again and went on from its checkpoint");
        _log.Acquisitions.Should().Be(3, "the other instance's, the relay's first, and the relay's again after losing it");
        _logs.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Warning && r.Message.Contains("lost its lease", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task ABatchThePublisherTakesWhileTheRelayStops_IsCheckpointed_SoItIsNotSentAgain()
    {
        GatedPublisher publisher = new();
        using IHost host = await StartAsync(publisher);
        await host.Services.GetRequiredService<IEventBus>().PublishAsync(new EventBuilder("order.placed").Build());
        await publisher.Entered.Task.WaitAsync(Hang);
        await _log.CaughtUp.Task.WaitAsync(Hang);

        Task stopping = host.StopAsync();
        await _log.FollowingStopped.Task.WaitAsync(Hang);
        publisher.Open();
        await stopping.WaitAsync(Hang);

        publisher.Sent.Should().ContainSingle();
        _log.Checkpoint("external:gated").Should().Be(1, "the batch the publisher took as the relay stopped moved the checkpoint");
        _logs.GetSnapshot().Should().NotContain(r => r.Message.Contains("another process holds its lease", StringComparison.Ordinal), "nobody else held it");
    }

    [Fact]
    public async Task WhileACheckpointIsBeingSaved_TheRelayGoesOnSending_AndSavesTheLatestPositionAfterIt()
    {
        InMemoryExternalPublisher publisher = new("memory");
        TaskCompletionSource hold = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _log.HoldCheckpoints = hold;
        using IHost host = await StartAsync(publisher);
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        await bus.PublishAsync(new EventBuilder("order.placed").Build());
        await publisher.WaitForSentAsync(1).WaitAsync(Hang);

        // The save of the first checkpoint hangs in the store: the next events are sent all the same.
        await bus.PublishAsync(new EventBuilder("order.paid").Build());
        await bus.PublishAsync(new EventBuilder("order.shipped").Build());
        await publisher.WaitForSentAsync(3).WaitAsync(Hang);
        _log.Checkpoint("external:memory").Should().Be(0, "the first save is still held");

        hold.SetResult();
        await _log.WaitForCheckpointAsync("external:memory", 3);
        ExternalRelayStatistics relay = host.Services.GetRequiredService<ExternalRelays>()["memory"];
        relay.Position.Should().Be(3);
        await host.StopAsync();
        _log.Checkpoint("external:memory").Should().Be(3);
    }

    [Fact]
    public async Task ACheckpointThatCanNotBeSaved_IsLogged_AndSavedWithTheNextPosition_WhileSendingGoesOn()
    {
        InMemoryExternalPublisher publisher = new("memory");
        using IHost host = await StartAsync(publisher);
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        await bus.PublishAsync(new EventBuilder("order.placed").Build());
        await _log.WaitForCheckpointAsync("external:memory", 1);
        _log.FailNextCheckpoint = new InvalidOperationException("disk full");
        await bus.PublishAsync(new EventBuilder("order.paid").Build());
        await _log.CheckpointFailed.Task.WaitAsync(Hang);
        _log.Checkpoint("external:memory").Should().Be(1);

        await bus.PublishAsync(new EventBuilder("order.shipped").Build());
        await _log.WaitForCheckpointAsync("external:memory", 3);
        await host.StopAsync();

        publisher.Sent.Select(e => e.Type).Should().Equal(["order.placed", "order.paid", "order.shipped"], "a checkpoint that was not saved sends nothing again while the relay runs");
        _logs.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Warning && r.Exception is InvalidOperationException && r.Message.Contains("could not save its checkpoint at position 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoppingAfterACheckpointFailed_SavesTheLatestPosition()
    {
        InMemoryExternalPublisher publisher = new("memory");
        using IHost host = await StartAsync(publisher);
        IEventBus bus = host.Services.GetRequiredService<IEventBus>();
        _log.FailNextCheckpoint = new InvalidOperationException("disk full");
        await bus.PublishAsync(new EventBuilder("order.placed").Build());
        await _log.CheckpointFailed.Task.WaitAsync(Hang);

        await host.StopAsync();

        _log.Checkpoint("external:memory").Should().Be(1, "stopping saved what the failed save could not");
    }

    private async Task<IHost> StartAsync(IExternalPublisher publisher)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new FakeLoggerProvider(_logs));
        builder.Services.AddSingleton<IEventStore>(_log);
        builder.Services.AddEventBus().AddEventStore().AddExternalPublisher(_ => publisher, ["order.#"]);
        IHost host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
