using Mediator;

namespace EventBus.Benchmarks;

/// <summary>Mediator's source generator wires handlers at compile time, so 1 and 4 handlers need two notification types.</summary>
public sealed class OneHandlerNotification : INotification;

public sealed class FourHandlersNotification : INotification;

public sealed class OneHandler : INotificationHandler<OneHandlerNotification>
{
    public ValueTask Handle(OneHandlerNotification notification, CancellationToken cancellationToken)
    {
        NoOp.Touch(notification);
        return default;
    }
}

public sealed class FourHandlersA : INotificationHandler<FourHandlersNotification>
{
    public ValueTask Handle(FourHandlersNotification notification, CancellationToken cancellationToken)
    {
        NoOp.Touch(notification);
        return default;
    }
}

public sealed class FourHandlersB : INotificationHandler<FourHandlersNotification>
{
    public ValueTask Handle(FourHandlersNotification notification, CancellationToken cancellationToken)
    {
        NoOp.Touch(notification);
        return default;
    }
}

public sealed class FourHandlersC : INotificationHandler<FourHandlersNotification>
{
    public ValueTask Handle(FourHandlersNotification notification, CancellationToken cancellationToken)
    {
        NoOp.Touch(notification);
        return default;
    }
}

public sealed class FourHandlersD : INotificationHandler<FourHandlersNotification>
{
    public ValueTask Handle(FourHandlersNotification notification, CancellationToken cancellationToken)
    {
        NoOp.Touch(notification);
        return default;
    }
}
