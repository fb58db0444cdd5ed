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

    /// <summary>The longest stream id a store takes.</summary>
    public const int MaxStreamIdLength = 256;

    /// <summary>Throws when a stream append is invalid: a bad stream id, an expected version below -1, null events or one id twice.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="expectedVersion">The version expected.</param>
    /// <param name="events">The events.</param>
    /// <exception cref="ArgumentException">Something is invalid; nothing was stored.</exception>
    public static void ThrowIfInvalidStreamAppend(string streamId, long expectedVersion, IReadOnlyList<EventEnvelope> events)
    {
        ThrowIfInvalidStreamId(streamId);
        if (expectedVersion < StreamVersion.Any)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, $"Expected version {expectedVersion} of stream '{streamId}' is not a version; use StreamVersion.Any (-1), StreamVersion.NoStream (0) or the version last read. Nothing was stored.");
        }

        ThrowIfInvalidBatch(events);
        HashSet<Guid> ids = [];
        foreach (EventEnvelope envelope in events)
        {
            if (!ids.Add(envelope.Id))
            {
                throw new ArgumentException($"Event {envelope.Id} appears twice in the append to stream '{streamId}'; each event is appended once. Nothing was stored.", nameof(events));
            }
        }
    }

    /// <summary>Throws when a stream id is empty, blank or longer than <see cref="MaxStreamIdLength"/>.</summary>
    /// <param name="streamId">The stream.</param>
    /// <exception cref="ArgumentException">The id is invalid.</exception>
    public static void ThrowIfInvalidStreamId(string streamId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamId);
        if (streamId.Length > MaxStreamIdLength)
        {
            throw new ArgumentException($"Stream id '{streamId[..32]}...' has {streamId.Length} characters; use at most {MaxStreamIdLength}.", nameof(streamId));
        }
    }

    /// <summary>Throws when a stream read starts below version 1.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="fromVersion">The first version to read.</param>
    /// <exception cref="ArgumentException">The id or the version is invalid.</exception>
    public static void ThrowIfInvalidStreamRead(string streamId, long fromVersion)
    {
        ThrowIfInvalidStreamId(streamId);
        if (fromVersion < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fromVersion), fromVersion, $"Stream versions start at 1; read stream '{streamId}' from version 1 or later.");
        }
    }

    /// <summary>The error for an event whose id the store already holds, appended to a stream.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="events">The append's events, one of which the store holds.</param>
    /// <param name="eventId">The event.</param>
    /// <returns>The exception.</returns>
    public static ArgumentException AlreadyStored(string streamId, IReadOnlyList<EventEnvelope> events, Guid eventId) =>
        new($"Event {eventId} is already stored, so it can not be appended to stream '{streamId}'; give each stream event a new id. Nothing was stored.", nameof(events));

    /// <summary>Throws when a snapshot's stream id is invalid or its version is below 1.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="version">The version the state includes.</param>
    /// <exception cref="ArgumentException">The id or the version is invalid.</exception>
    public static void ThrowIfInvalidSnapshot(string streamId, long version)
    {
        ThrowIfInvalidStreamId(streamId);
        if (version < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"A snapshot of stream '{streamId}' is of the state after an event, so its version is 1 or more; pass the version of the last event applied.");
        }
    }
}
