using Mediator;

namespace EventBus.Benchmarks;

public sealed class OneHandler : INotificationHandler<OneHandlerNotification>
{
    public ValueTask Handle(OneHandlerNotification notification, CancellationToken cancellationToken)
    {
        NoOp.Touch(notification);
        return default;
    }
}
