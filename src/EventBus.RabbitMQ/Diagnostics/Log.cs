using Microsoft.Extensions.Logging;

namespace EventBus.RabbitMQ;

/// <summary>Source-generated log messages of the RabbitMQ transport. None of them carries a password.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Receiving from RabbitMQ at {Broker}: queue {Queue} bound to {Patterns}")]
    public static partial void Consuming(ILogger logger, string broker, string queue, string patterns);

    [LoggerMessage(2, LogLevel.Warning, "RabbitMQ at {Broker} is not available yet; receiving starts when it is (retrying in {Delay})")]
    public static partial void BrokerUnavailable(ILogger logger, Exception exception, string broker, TimeSpan delay);

    [LoggerMessage(3, LogLevel.Error, "A message from queue {Queue} was refused ({Reason}) and moved to {DeadLetterExchange}: {Error}")]
    public static partial void MessageRefused(ILogger logger, string queue, WireFormatError reason, string deadLetterExchange, string error);

    [LoggerMessage(5, LogLevel.Warning, "A message from queue {Queue} (delivery {DeliveryTag}) was interrupted before its acknowledgement ({Reason}); the broker delivers it again")]
    public static partial void DeliveryInterrupted(ILogger logger, string queue, ulong deliveryTag, string reason);

    [LoggerMessage(4, LogLevel.Error, "Event {EventId} of type {EventType} from queue {Queue} was refused by the bus and moved to {DeadLetterExchange}")]
    public static partial void EventRefused(ILogger logger, Exception exception, Guid eventId, string eventType, string queue, string deadLetterExchange);

    [LoggerMessage(6, LogLevel.Error, "Reading the inbox of queue {Queue} back from the store failed; redeliveries of events handled before this start may be handled again")]
    public static partial void InboxRestoreFailed(ILogger logger, Exception exception, string queue);

    [LoggerMessage(7, LogLevel.Error, "Handling a message from queue {Queue} (delivery {DeliveryTag}) failed; it goes back to the queue, and past the delivery limit to the dead-letter exchange")]
    public static partial void DeliveryFailed(ILogger logger, Exception exception, string queue, ulong deliveryTag);

    [LoggerMessage(8, LogLevel.Error, "Updating the bindings of queue {Queue} to the subscriptions failed; they are set again with the next subscription change or reconnection")]
    public static partial void BindingFailed(ILogger logger, Exception exception, string queue);
}
