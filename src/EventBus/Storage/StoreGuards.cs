namespace EventBus;

/// <summary>Argument checks every store shares, so each store's messages read alike.</summary>
public static class StoreGuards
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
}
