namespace EventBus.RabbitMQ;

/// <summary>The broker could not be reached or refused the credentials. The message names the broker, never the password.</summary>
public sealed class RabbitMqConnectionException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="RabbitMqConnectionException"/> class.</summary>
    public RabbitMqConnectionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RabbitMqConnectionException"/> class.</summary>
    /// <param name="message">What failed and what to check.</param>
    public RabbitMqConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RabbitMqConnectionException"/> class.</summary>
    /// <param name="message">What failed and what to check.</param>
    /// <param name="innerException">The client's exception.</param>
    public RabbitMqConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
