using EventBus;

namespace WorkflowSample;

/// <summary>A handler resolved from DI in a fresh scope for every event; it sees every event ('#').</summary>
internal sealed class AuditTrail : IEventHandler
{
    public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        Console.WriteLine($"[audit]    {envelope.Type,-28} {envelope.Kind,-12} workflow={envelope.WorkflowId ?? "-"} phase={envelope.Phase ?? "-"}");
        return ValueTask.CompletedTask;
    }
}
