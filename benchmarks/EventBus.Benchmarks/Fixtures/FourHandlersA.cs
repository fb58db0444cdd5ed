using Mediator;

namespace EventBus.Benchmarks;

public sealed class FourHandlersA : INotificationHandler<FourHandlersNotification>
{
    public ValueTask Handle(FourHandlersNotification notification, CancellationToken cancellationToken)
    {
        NoOp.Touch(notification);
        return default;
    }
}
