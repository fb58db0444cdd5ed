namespace EventBus;

/// <summary>
/// Recorded as the failure of a delivery attempt whose handler ran past <see cref="SubscriptionOptions.HandlerTimeout"/>:
/// the handler's token was cancelled and the attempt counts as failed, even if the handler finished later.
/// </summary>
public sealed class HandlerTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="HandlerTimeoutException"/> class.</summary>
    public HandlerTimeoutException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HandlerTimeoutException"/> class.</summary>
    /// <param name="message">The message.</param>
    public HandlerTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HandlerTimeoutException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">What the handler threw when cancelled, if anything.</param>
    public HandlerTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
