using System.Diagnostics.Metrics;

namespace EventBus.RabbitMQ;

/// <summary>The transport's own instruments, on the <c>EventBus.RabbitMQ</c> meter.</summary>
internal sealed class RabbitMqMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "EventBus.RabbitMQ";

    public RabbitMqMetrics(IMeterFactory? meterFactory)
    {
        Meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        Received = Meter.CreateCounter<long>("messaging.client.consumed.messages", "{message}", "Messages received from the broker and handled by the bus.");
        Duplicates = Meter.CreateCounter<long>("eventbus.rabbitmq.duplicates", "{message}", "Redelivered events the inbox recognised and acknowledged without handling them again.");
        DeadLettered = Meter.CreateCounter<long>("eventbus.rabbitmq.dead_lettered", "{message}", "Messages refused and moved to the dead-letter exchange, tagged with the reason.");
    }

    public Meter Meter { get; }

    public Counter<long> Received { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Duplicates { get; }

    public void Dispose() => Meter.Dispose();
}
