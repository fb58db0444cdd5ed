namespace EventBus.RabbitMqRunner;

/// <summary>The runner's payload: about 1 KiB of text on the wire.</summary>
public sealed record BenchPayload(int Sequence, string Body);
