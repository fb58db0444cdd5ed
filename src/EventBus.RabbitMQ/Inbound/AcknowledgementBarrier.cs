using global::RabbitMQ.Client;
using global::RabbitMQ.Client.Events;

namespace EventBus.RabbitMQ;

/// <summary>
/// Makes sure the broker has taken every acknowledgement sent on a consumer's channel before the channel closes. The
/// broker's channel holds a quorum queue's acknowledgements back while too many of its earlier commands are still being
/// applied, and drops what it holds when the channel closes: those messages come back, although handled, and are
/// delivered again (RabbitMQ server issue 10327; a graceful stop of a busy consumer returned 23 to 62 of 300 handled
/// messages). A synchronous command on the queue lets the channel see its earlier commands applied and send what it held;
/// one more round trip makes sure it has before the close is sent.
/// </summary>
internal static class AcknowledgementBarrier
{
    /// <summary>Passes the barrier for each consumer (queue and consumer tag) registered on <paramref name="channel"/>.</summary>
    public static async Task PassAsync(IChannel channel, IReadOnlyList<KeyValuePair<string, string>> consumers, bool singleActiveConsumer, ushort prefetch, CancellationToken cancellationToken)
    {
        foreach ((string queue, string consumerTag) in consumers)
        {
            if (singleActiveConsumer)
            {
                // Cancelling would hand the queue to an instance waiting behind this one while this channel still holds
                // messages it did not handle, which then come back behind later ones, out of order: register an idle
                // second consumer instead. It waits behind this channel's own one and closes with the channel.
                await channel.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumer(channel), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Competing consumers promise no order: cancelling stops further deliveries, and the messages this
                // channel holds unhandled go back to the queue when it closes.
                await channel.BasicCancelAsync(consumerTag, noWait: false, cancellationToken).ConfigureAwait(false);
            }
        }

        // The channel answers this only after it has handled what reached it before, including the queue's replies that
        // release the held acknowledgements.
        await channel.BasicQosAsync(0, prefetch, global: false, cancellationToken).ConfigureAwait(false);
    }
}
