namespace EventBus.RabbitMQ.Tests.Broker;

/// <summary>Test classes in this collection share one private broker node, started once.</summary>
[CollectionDefinition(Name)]
public sealed class SharedBroker : ICollectionFixture<RabbitMqNode>
{
    public const string Name = "broker";
}
