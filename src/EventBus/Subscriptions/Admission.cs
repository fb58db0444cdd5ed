namespace EventBus;

/// <summary>What routing decided for one subscription's copy of an event, before queueing it (see <see cref="Subscription.Admit"/>).</summary>
internal enum Admission
{
    /// <summary>Queued in the subscription's buffer.</summary>
    Queue,

    /// <summary>Queued beyond the buffer of a wait-mode subscription: the event holds a place of the bus's capacity until the subscription settles one.</summary>
    Hold,

    /// <summary>Dropped for this subscription: its buffer is full and its mode drops.</summary>
    Drop,
}
