namespace EventBus.Testing;

/// <summary>Thrown when an expectation about published or handled events does not hold. Its message lists what actually happened.</summary>
public sealed class EventAssertionException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EventAssertionException"/> class.</summary>
    public EventAssertionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventAssertionException"/> class.</summary>
    /// <param name="message">The message.</param>
    public EventAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventAssertionException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EventAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
