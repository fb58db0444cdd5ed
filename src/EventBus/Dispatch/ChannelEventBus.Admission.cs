namespace EventBus;

/// <summary>
/// Admission: whether an event gets a place (by <see cref="EventBusOptions.FullMode"/>), and, with a store, the order
/// room → store → hand-over. An event refused or dropped on arrival is never stored, and a stop waits for publishers
/// already storing (the admission gate), so an event that reached the store is never refused afterwards.
/// </summary>
internal sealed partial class ChannelEventBus
{
    // Publishers between taking a place and handing their event over while a store write is under way; Interlocked only.
    private long _admitting;

    // Installed by the stop; completed by the last publisher to leave the gate after it.
    private readonly AsyncSignal _admissionsDone = new();

    /// <summary>Decides a full bus's answer for one event: a place (waiting for it, or over capacity), or a refusal.</summary>
    /// <returns>The place taken, or <see cref="Reservation.None"/> when the event was dropped on arrival (counted, and logged).</returns>
    /// <exception cref="EventBusFullException">Reject mode.</exception>
    /// <exception cref="EventBusStoppedException">The bus stopped while the publisher waited.</exception>
    private async ValueTask<Reservation> ReserveWhenFullAsync(DispatchItem item, CancellationToken cancellationToken)
    {
        switch (_options.FullMode)
        {
            case BusFullMode.Wait when AdmitOverCapacity(1):
                return Reservation.Place;
            case BusFullMode.Wait:
                return await Backlog.ReserveAsync(1, cancellationToken).ConfigureAwait(false) ? Reservation.Place : throw new EventBusStoppedException();
            case BusFullMode.Reject:
                Reject(item.Envelope);
                throw new EventBusFullException(Backlog.Capacity, item.Envelope.Type);
            default:
                return TryReserveNow(item);
        }
    }

    /// <summary>Takes a place without waiting, as <see cref="IEventPublisher.TryPublish"/> and the drop modes do; counts and logs a refusal.</summary>
    private Reservation TryReserveNow(in DispatchItem item)
    {
        if (Backlog.TryReserve(1))
        {
            return Reservation.Place;
        }

        switch (_options.FullMode)
        {
            case BusFullMode.DropOldest when TryReserveWithEviction():
                return new Reservation(1, Evictions: 1);
            case BusFullMode.DropOldest:
            case BusFullMode.DropWrite:
                DropIncoming(item);
                return Reservation.None;
            default:
                Reject(item.Envelope);
                return Reservation.None;
        }
    }

    /// <summary>Gives back places taken for events that were not accepted after all (their store write failed, or they were routed inline).</summary>
    private void ReleaseReservation(Reservation reservation)
    {
        for (int i = 0; i < reservation.Evictions; i++)
        {
            // The eviction owed for it is no longer owed, unless a worker has already made it.
            _ = TryTakeEviction();
        }

        Backlog.Release(reservation.Places);
    }

    /// <summary>Stores events that hold their places (when a store is configured), then hands them to their workers.</summary>
    private async ValueTask StoreAndAcceptAsync(IReadOnlyList<EventEnvelope> envelopes, Reservation reservation, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            AcceptAll(envelopes);
            return;
        }

        EnterAdmissionOrRelease(reservation);
        try
        {
            await StoreOrReleaseAsync(envelopes, reservation, cancellationToken).ConfigureAwait(false);
            AcceptAll(envelopes);
        }
        finally
        {
            ExitAdmission();
        }
    }

    private async ValueTask StoreOrReleaseAsync(IReadOnlyList<EventEnvelope> envelopes, Reservation reservation, CancellationToken cancellationToken)
    {
        try
        {
            if (envelopes.Count == 1)
            {
                await _store!.StoreAsync(envelopes[0], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _store!.StoreBatchAsync(envelopes, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            ReleaseReservation(reservation);
            throw;
        }
    }

    private void AcceptAll(IReadOnlyList<EventEnvelope> envelopes)
    {
        for (int i = 0; i < envelopes.Count; i++)
        {
            Accept(new DispatchItem(envelopes[i], KeyHash(envelopes[i]), null));
        }
    }

    /// <summary>Enters the admission gate, or gives the places back and refuses when the bus has begun to stop.</summary>
    private void EnterAdmissionOrRelease(Reservation reservation)
    {
        // The increment is a full fence: either the stop, which sets its state before reading the count, sees this
        // publisher in the gate, or this publisher sees the stop.
        Interlocked.Increment(ref _admitting);
        if (IsStopping)
        {
            ExitAdmission();
            ReleaseReservation(reservation);
            throw new EventBusStoppedException();
        }
    }

    private void ExitAdmission()
    {
        if (Interlocked.Decrement(ref _admitting) == 0 && IsStopping)
        {
            _admissionsDone.Set();
        }
    }

    /// <summary>Called by the stop, after its state is set: completes once no publisher is between its place and its hand-over.</summary>
    private Task AdmissionsDoneAsync()
    {
        Task done = _admissionsDone.Next;
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref _admitting) == 0 ? Task.CompletedTask : done;
    }

    /// <summary>Places taken for events not yet handed over: how many, and how many of them owe an eviction (drop-oldest mode).</summary>
    private readonly record struct Reservation(int Places, int Evictions = 0)
    {
        public static Reservation None => default;

        public static Reservation Place => new(1);
    }
}
