namespace EventBus.RabbitMQ;

/// <summary>A message from the wire could not become an event; it is dead-lettered with <see cref="Error"/> as its reason.</summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="WireFormatException"/> class.</summary>
    public WireFormatException()
        : this(WireFormatError.Malformed, "The message is not a CloudEvents 1.0 JSON event.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WireFormatException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    public WireFormatException(string message)
        : this(WireFormatError.Malformed, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="WireFormatException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The parser's exception.</param>
    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = WireFormatError.Malformed;
    }

    /// <summary>Initializes a new instance of the <see cref="WireFormatException"/> class.</summary>
    /// <param name="error">Why the message was refused.</param>
    /// <param name="message">What is wrong, naming the value and the fix.</param>
    /// <param name="innerException">The parser's exception, or null.</param>
    public WireFormatException(WireFormatError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Gets why the message was refused.</summary>
    public WireFormatError Error { get; }
}
