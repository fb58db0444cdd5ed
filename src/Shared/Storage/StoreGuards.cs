namespace EventBus;

/// <summary>
/// Argument checks every store shares, so each store's messages read alike. The source is compiled into each
/// store package (internal in each), so packages share no internals at run time.
/// </summary>
internal static class StoreGuards
{
    /// <summary>Throws unless <paramref name="level"/> asks for storing.</summary>
    /// <param name="level">The level.</param>
    /// <exception cref="ArgumentException">The level is <see cref="PersistenceLevel.Temporary"/> or undefined.</exception>
    public static void ThrowIfNotStorable(PersistenceLevel level)
    {
        if (level is not (PersistenceLevel.Standard or PersistenceLevel.Critical))
        {
            throw new ArgumentException($"Persistence level {level} does not store; append with Standard or Critical, or do not append the event.", nameof(level));
        }
    }

    /// <summary>Throws when a batch is null or holds null.</summary>
    /// <param name="envelopes">The batch.</param>
    /// <exception cref="ArgumentException">The batch holds null.</exception>
    public static void ThrowIfInvalidBatch(IReadOnlyList<EventEnvelope> envelopes)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        for (int i = 0; i < envelopes.Count; i++)
        {
            if (envelopes[i] is null)
            {
                throw new ArgumentException($"The batch holds null at index {i}; remove it. Nothing of the batch was stored.", nameof(envelopes));
            }
        }
    }

    /// <summary>Throws when a list of dead letters to save is null or holds null.</summary>
    /// <param name="letters">The dead letters.</param>
    /// <exception cref="ArgumentException">The list holds null.</exception>
    public static void ThrowIfInvalidDeadLetters(IReadOnlyList<DeadLetter> letters)
    {
        ArgumentNullException.ThrowIfNull(letters);
        for (int i = 0; i < letters.Count; i++)
        {
            if (letters[i] is null)
            {
                throw new ArgumentException($"The dead letters hold null at index {i}; remove it. None of them was saved.", nameof(letters));
            }
        }
    }

    /// <summary>Throws when a retention asks for a negative count or a negative age.</summary>
    /// <param name="retention">The retention.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is negative.</exception>
    public static void ThrowIfInvalidRetention(EventRetention retention)
    {
        ArgumentNullException.ThrowIfNull(retention);
        if (retention.MaxCount is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), retention.MaxCount, $"EventRetention.MaxCount is {retention.MaxCount}; keep 0 or more events, or leave it null for no count limit. Nothing was pruned.");
        }

        if (retention.MaxAge is { } age && age < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), age, $"EventRetention.MaxAge is {age}; use a positive age, or leave it null for no age limit. Nothing was pruned.");
        }
    }
}
