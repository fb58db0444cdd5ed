using global::RabbitMQ.Client;
using global::RabbitMQ.Client.Exceptions;
using Microsoft.Extensions.Logging;

namespace EventBus.RabbitMQ;

/// <summary>
/// Acknowledges a channel's handled deliveries with one <c>multiple</c> acknowledgement for every delivery handled since
/// the last one was sent, off the consumer's dispatch: under load one acknowledgement covers several messages (in a
/// quorum queue each acknowledgement is a command its replicas agree on), and at a low rate each is sent at once.
/// Sound because the channel's deliveries are handled one at a time in delivery-tag order (the client's dispatch
/// concurrency is one): everything up to the latest handled tag was handled, acknowledged singly, rejected, or handed
/// back before it, and a rejection is written to the channel before any later acknowledgement. One send at a time, in
/// tag order, so a tag is never acknowledged twice (which would close the channel).
/// </summary>
internal sealed class Acknowledgements(IChannel channel, ILogger logger, string queue)
{
    private readonly Lock _lock = new();
    private Task _sending = Task.CompletedTask;
    private ulong _handled;
    private ulong _acknowledged;
    private bool _running;

    /// <summary>Records that the delivery <paramref name="deliveryTag"/> (and every one before it) is done with, and sends its acknowledgement soon.</summary>
    public void Handled(ulong deliveryTag)
    {
        lock (_lock)
        {
            _handled = deliveryTag;
            if (_running)
            {
                return;
            }

            _running = true;
        }

        // On the thread pool, so the dispatch goes on to the next delivery; those handled meanwhile join this acknowledgement.
        _sending = Task.Run(SendAsync);
    }

    /// <summary>Waits until every handled delivery's acknowledgement was sent (before the channel is closed).</summary>
    public Task FlushAsync() => _sending;

    private async Task SendAsync()
    {
        while (true)
        {
            ulong deliveryTag;
            lock (_lock)
            {
                if (_handled == _acknowledged)
                {
                    _running = false;
                    return;
                }

                deliveryTag = _handled;
            }

            try
            {
                await channel.BasicAckAsync(deliveryTag, multiple: true).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is AlreadyClosedException or OperationCanceledException)
            {
                // The channel closed first: the broker delivers these messages again, and the inbox knows the handled ones.
                Log.DeliveryInterrupted(logger, queue, deliveryTag, exception.Message);
            }

            lock (_lock)
            {
                _acknowledged = deliveryTag;
            }
        }
    }
}
