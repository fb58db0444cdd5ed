namespace EventBus;

/// <summary>
/// Priority routing: critical, high and standard (normal and low) events go to three handlers, each
/// behind its own subscription, so a backlog of standard work never delays the critical handler.
/// </summary>
public sealed class PriorityRouter : IAsyncDisposable
{
    internal PriorityRouter(ISubscription critical, ISubscription high, ISubscription standard)
    {
        Critical = critical;
        High = high;
        Standard = standard;
    }

    /// <summary>Gets the subscription for <see cref="EventPriority.Critical"/> events.</summary>
    public ISubscription Critical { get; }

    /// <summary>Gets the subscription for <see cref="EventPriority.High"/> events.</summary>
    public ISubscription High { get; }

    /// <summary>Gets the subscription for <see cref="EventPriority.Normal"/> and <see cref="EventPriority.Low"/> events.</summary>
    public ISubscription Standard { get; }

    /// <summary>Removes the three subscriptions.</summary>
    /// <returns>A task that completes when none of the handlers runs any more.</returns>
    public async ValueTask DisposeAsync()
    {
        await Critical.UnsubscribeAsync().ConfigureAwait(false);
        await High.UnsubscribeAsync().ConfigureAwait(false);
        await Standard.UnsubscribeAsync().ConfigureAwait(false);
    }
}
