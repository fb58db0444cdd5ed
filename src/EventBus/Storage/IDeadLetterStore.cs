namespace EventBus;

/// <summary>
/// Keeps dead letters so that they survive a restart. An <see cref="IEventStore"/> that also implements this interface
/// receives the bus's dead letters as they are added and removed (see <see cref="EventStoreOptions.StoreDeadLetters"/>),
/// and the bus reads them back when it starts. Both stores of this library implement it.
/// </summary>
public interface IDeadLetterStore
{
    /// <summary>Saves dead letters; saving one whose id is already held changes nothing.</summary>
    /// <param name="letters">The dead letters, oldest first.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the write queue.</param>
    /// <returns>A task that completes when they are durable.</returns>
    ValueTask SaveDeadLettersAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default);

    /// <summary>Removes dead letters by id; ids the store does not hold are ignored.</summary>
    /// <param name="deadLetterIds">The <see cref="DeadLetter.Id"/>s.</param>
    /// <param name="cancellationToken">Cancels a wait for room in the write queue.</param>
    /// <returns>A task that completes when the removal is durable.</returns>
    ValueTask RemoveDeadLettersAsync(IReadOnlyList<Guid> deadLetterIds, CancellationToken cancellationToken = default);

    /// <summary>Reads every dead letter held, oldest first, each with <see cref="DeadLetter.SubscriptionId"/> empty.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The dead letters.</returns>
    IAsyncEnumerable<DeadLetter> ReadDeadLettersAsync(CancellationToken cancellationToken = default);
}
