namespace EventBus;

/// <summary>When to save a snapshot of a stream: every <see cref="Every"/> events.</summary>
public sealed record SnapshotPolicy
{
    /// <summary>Initializes a new instance of the <see cref="SnapshotPolicy"/> class.</summary>
    /// <param name="every">Save a snapshot each time the stream's version passes a multiple of this number; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="every"/> is below 1.</exception>
    public SnapshotPolicy(int every)
    {
        if (every < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(every), every, $"SnapshotPolicy.Every is {every}; use 1 or more (a snapshot every N events), or SnapshotPolicy.Never.");
        }

        Every = every;
    }

    /// <summary>Gets a policy that never saves a snapshot.</summary>
    public static SnapshotPolicy Never { get; } = new(int.MaxValue);

    /// <summary>Gets the number of events between snapshots.</summary>
    public int Every { get; }

    /// <summary>Tells whether an append that moved the stream from one version to another passed a multiple of <see cref="Every"/>.</summary>
    /// <param name="before">The stream's version before the append.</param>
    /// <param name="after">The stream's version after it.</param>
    /// <returns>True when a snapshot is due.</returns>
    public bool IsDue(long before, long after) => after / Every > before / Every;
}
