namespace EventBus;

/// <summary>
/// Recorded as the failure of a delivery attempt whose handler ran past <see cref="SubscriptionOptions.HandlerTimeout"/>:
/// the handler's token was cancelled and the handler then threw (typically an <see cref="OperationCanceledException"/>,
/// kept as the inner exception). A handler that ignores its token and completes is counted as handled, with a warning,
/// because repeating finished work would duplicate it.
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
