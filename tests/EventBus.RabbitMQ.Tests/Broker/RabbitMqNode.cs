namespace EventBus.RabbitMQ.Tests.Broker;

/// <summary>The private broker node as an xunit fixture: started before the first test of the collection, removed after the last.</summary>
public sealed class RabbitMqNode : EventBus.Testing.Brokers.PrivateRabbitMqNode, IAsyncLifetime
{
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
