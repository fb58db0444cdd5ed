using System.Runtime.CompilerServices;

namespace EventBus;

/// <summary>Dead letters kept beside the events: they outlive a bus that is stopped and replaced, not the process.</summary>
public sealed partial class InMemoryEventStore
{
    private readonly Dictionary<Guid, (long Sequence, DeadLetter Letter)> _deadLetters = [];
    private long _nextDeadLetter;

    /// <inheritdoc />
    public ValueTask SaveDeadLettersAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken = default)
    {
        StoreGuards.ThrowIfInvalidDeadLetters(letters);
        lock (_lock)
        {
            foreach (DeadLetter letter in letters)
            {
                _deadLetters.TryAdd(letter.Id, (_nextDeadLetter++, letter));
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveDeadLettersAsync(IReadOnlyList<Guid> deadLetterIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetterIds);
        lock (_lock)
        {
            foreach (Guid id in deadLetterIds)
            {
                _deadLetters.Remove(id);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DeadLetter> ReadDeadLettersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        DeadLetter[] held;
        lock (_lock)
        {
            held = [.. _deadLetters.Values.OrderBy(entry => entry.Sequence).Select(entry => entry.Letter)];
        }

        foreach (DeadLetter letter in held)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // As from any store: the subscription id does not outlive the bus that wrote it.
            // As a store that outlives the process would: without the subscription id, which does not.
            yield return new DeadLetter
            {
                Id = letter.Id,
                Event = letter.Event,
                SubscriberId = letter.SubscriberId,
                Reason = letter.Reason,
                ExceptionType = letter.ExceptionType,
                ExceptionMessage = letter.ExceptionMessage,
                Attempts = letter.Attempts,
                DeadLetteredAt = letter.DeadLetteredAt,
            };
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
