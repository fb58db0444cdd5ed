using System.Diagnostics.CodeAnalysis;

namespace EventBus;

/// <summary>
/// A handler resolved from dependency injection in a fresh scope for every event. Register it with
/// <c>services.AddEventBus().AddEventHandler&lt;THandler&gt;(...)</c>.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "IEventHandler is the name users of event buses look for; it is an interface, not a delegate.")]
public interface IEventHandler
{
    /// <summary>Handles one event.</summary>
    /// <param name="envelope">The event.</param>
    /// <param name="cancellationToken">Cancelled when the bus stops past its drain deadline.</param>
    /// <returns>A task that completes when the event has been handled.</returns>
    ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}
