using global::RabbitMQ.Client;
using global::RabbitMQ.Client.Exceptions;

namespace EventBus.RabbitMQ;

/// <summary>
/// One connection to the broker for the application, opened on first use. The client recovers it, its channels and
/// their consumers after a network failure or broker restart; a failed first connection is retried on the next use.
/// </summary>
internal sealed class RabbitMqConnection : IAsyncDisposable
{
    private readonly RabbitMqOptions _options;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private IConnection? _connection;

    public RabbitMqConnection(RabbitMqOptions options) => _options = options;

    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } open)
        {
            return open;
        }

        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _connection ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>Tells whether the broker is connected now, opening the first connection if none was tried yet.</summary>
    public async Task<bool> IsConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } connection)
        {
            return connection.IsOpen;
        }

        try
        {
            return (await GetAsync(cancellationToken).ConfigureAwait(false)).IsOpen;
        }
        catch (RabbitMqConnectionException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.CloseAsync().ConfigureAwait(false);
            connection.Dispose();
        }

        _opening.Dispose();
    }

    private async Task<IConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ConnectionFactory factory = new()
        {
            HostName = _options.HostName,
            Port = _options.Port,
            VirtualHost = _options.VirtualHost,
            UserName = _options.UserName,
            Password = _options.Password,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
            ClientProvidedName = "eventbus",
        };
        try
        {
            return await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BrokerUnreachableException exception) when (exception.InnerException is AuthenticationFailureException)
        {
            throw new RabbitMqConnectionException(
                $"The broker at {_options} refused user '{_options.UserName}': wrong user name or password, or the user may not use virtual host '{_options.VirtualHost}'. Check RabbitMqOptions.UserName and Password.",
                exception.InnerException);
        }
        catch (BrokerUnreachableException exception)
        {
            throw new RabbitMqConnectionException($"The broker at {_options} can not be reached: {exception.InnerException?.Message ?? exception.Message} Check RabbitMqOptions.HostName and Port, and that RabbitMQ runs.", exception);
        }
    }
}
