using System.Diagnostics.CodeAnalysis;

namespace EventBus;

/// <summary>A handler of events whose payload is a <typeparamref name="TPayload"/>, resolved in a fresh scope for every event.</summary>
/// <typeparam name="TPayload">The payload type.</typeparam>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "IEventHandler is the name users of event buses look for; it is an interface, not a delegate.")]
public interface IEventHandler<in TPayload>
{
    /// <summary>Handles one event.</summary>
    /// <param name="envelope">The event.</param>
    /// <param name="payload">The event's payload, already typed.</param>
    /// <param name="cancellationToken">Cancelled when the bus stops past its drain deadline.</param>
    /// <returns>A task that completes when the event has been handled.</returns>
    ValueTask HandleAsync(EventEnvelope envelope, TPayload payload, CancellationToken cancellationToken);
}
