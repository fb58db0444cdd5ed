using global::RabbitMQ.Client;
using global::RabbitMQ.Client.Events;
using global::RabbitMQ.Client.Exceptions;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.RabbitMQ.Tests.Inbound;

public sealed class AcknowledgementsTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DeliveriesHandledWhileAnAcknowledgementIsOnItsWay_AreCoveredByOneMore_InTagOrder()
    {
        (IChannel channel, RecordingChannel recorder) = RecordingChannel.Create();
        recorder.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Acknowledgements acks = new(channel, new FakeLogger(), "orders");

        acks.Handled(1);
        await recorder.FirstArrived.Task.WaitAsync(Hang);
        for (ulong tag = 2; tag <= 50; tag++)
        {
            acks.Handled(tag);
        }

        recorder.Gate.SetResult();
        await acks.FlushAsync().WaitAsync(Hang);

        recorder.Acks.Should().Equal([(1UL, true), (50UL, true)], "the 49 deliveries handled meanwhile share one acknowledgement");
    }

    [Fact]
    public async Task AtALowRate_EachDeliveryIsAcknowledgedAtOnce_AndNoTagTwice()
    {
        (IChannel channel, RecordingChannel recorder) = RecordingChannel.Create();
        Acknowledgements acks = new(channel, new FakeLogger(), "orders");

        for (ulong tag = 1; tag <= 3; tag++)
        {
            acks.Handled(tag);
            await acks.FlushAsync().WaitAsync(Hang);
        }

        await acks.FlushAsync().WaitAsync(Hang);

        recorder.Acks.Should().Equal([(1UL, true), (2UL, true), (3UL, true)]);
    }

    [Fact]
    public async Task AChannelClosedUnderTheAcknowledgement_IsLogged_AndTheNextDeliveriesAreStillAcknowledged()
    {
        (IChannel channel, RecordingChannel recorder) = RecordingChannel.Create();
        recorder.Failure = new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 320, "CONNECTION_FORCED"));
        FakeLogger logger = new();
        Acknowledgements acks = new(channel, logger, "orders");

        acks.Handled(7);
        await acks.FlushAsync().WaitAsync(Hang);
        recorder.Failure = null;
        acks.Handled(8);
        await acks.FlushAsync().WaitAsync(Hang);

        logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Message.Contains("queue orders (delivery 7)", StringComparison.Ordinal) && r.Message.Contains("delivers it again", StringComparison.Ordinal));
        recorder.Acks.Should().Equal([(8UL, true)]);
    }
}
