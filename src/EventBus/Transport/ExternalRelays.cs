namespace EventBus;

/// <summary>The relays to this application's external publishers, by publisher name; resolve it from the services.</summary>
public sealed class ExternalRelays
{
    private readonly List<ExternalRelay> _relays = [];

    internal ExternalRelays()
    {
    }

    /// <summary>Gets each relay's statistics, in registration order.</summary>
    public IReadOnlyList<ExternalRelayStatistics> All
    {
        get
        {
            lock (_relays)
            {
                return [.. _relays.Select(relay => relay.Statistics)];
            }
        }
    }

    /// <summary>Gets the statistics of the relay to the publisher named <paramref name="publisher"/>.</summary>
    /// <param name="publisher">The publisher's name, such as <c>rabbitmq</c>.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="KeyNotFoundException">No relay to a publisher of that name exists (or the bus was not created yet).</exception>
    public ExternalRelayStatistics this[string publisher] =>
        All.FirstOrDefault(statistics => statistics.Publisher == publisher)
        ?? throw new KeyNotFoundException($"No external publisher named '{publisher}' is relayed to; relays exist for: {string.Join(", ", All.Select(s => s.Publisher))}. The names are known once the bus was created.");

    internal void Add(ExternalRelay relay)
    {
        lock (_relays)
        {
            _relays.Add(relay);
        }
    }
}
