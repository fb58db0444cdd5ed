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
            yield return new DeadLetter(letter.Id, letter.Event, letter.SubscriberId, letter.Reason, letter.ExceptionType, letter.ExceptionMessage, letter.Attempts, letter.DeadLetteredAt);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
