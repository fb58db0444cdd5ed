namespace EventBus.Sqlite;

/// <summary>
/// The events this store committed last, by position, so that a relay following the log takes what was just appended
/// from memory instead of reading back and decoding the rows it was handed a moment before (on a busy machine the
/// read-back was the largest share of an event's way from the outbox to the broker). Only runs of positions this store
/// wrote without a gap are served: rows another process appended in between are not here, and a read that reaches
/// them goes to the file. Bounded by events and by payload bytes; it keeps nothing until the log is first read.
/// </summary>
internal sealed class AppendedTail
{
    internal const int MaxEvents = 16_384;
    internal const long MaxPayloadBytes = 16 * 1024 * 1024;

    private readonly Lock _lock = new();
    private readonly Queue<Run> _runs = new();
    private int _events;
    private long _bytes;
    private volatile bool _followed;

    /// <summary>Keeps the events a commit wrote, with their positions, in order; each run without a gap is kept apart.</summary>
    public void Committed(IReadOnlyList<(long Position, StoredRow Row)> rows)
    {
        if (!_followed)
        {
            return;
        }

        for (int start = 0, end; start < rows.Count; start = end)
        {
            end = start + 1;
            while (end < rows.Count && rows[end].Position == rows[end - 1].Position + 1)
            {
                end++;
            }

            Keep(rows, start, end);
        }
    }

    private void Keep(IReadOnlyList<(long Position, StoredRow Row)> rows, int start, int end)
    {
        long bytes = 0;
        EventEnvelope[] events = new EventEnvelope[end - start];
        for (int i = start; i < end; i++)
        {
            events[i - start] = rows[i].Row.Envelope;
            bytes += rows[i].Row.Payload?.Length ?? 0;
        }

        lock (_lock)
        {
            _runs.Enqueue(new Run(rows[start].Position, events, bytes));
            _events += events.Length;
            _bytes += bytes;
            while (_runs.Count > 0 && (_events > MaxEvents || _bytes > MaxPayloadBytes))
            {
                Run oldest = _runs.Dequeue();
                _events -= oldest.Events.Length;
                _bytes -= oldest.Bytes;
            }
        }
    }

    /// <summary>Forgets everything: rows were deleted, and what is kept here must never outlive its row.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _runs.Clear();
            (_events, _bytes) = (0, 0);
        }
    }

    /// <summary>
    /// Gets up to <paramref name="maxCount"/> events after <paramref name="position"/> if the next one is kept here,
    /// stopping at the first gap; null if it is not (the file is read instead).
    /// </summary>
    public EventLogPage? TryReadAfter(long position, int maxCount)
    {
        _followed = true;
        lock (_lock)
        {
            List<EventEnvelope>? events = null;
            long next = position + 1;
            foreach (Run run in _runs)
            {
                long end = run.First + run.Events.Length;
                if (end <= next)
                {
                    continue;
                }

                if (run.First > next)
                {
                    break;
                }

                int from = (int)(next - run.First);
                int take = Math.Min(run.Events.Length - from, maxCount - (events?.Count ?? 0));
                events ??= new List<EventEnvelope>(Math.Min(maxCount, run.Events.Length - from));
                events.AddRange(new ArraySegment<EventEnvelope>(run.Events, from, take));
                next += take;
                if (events.Count == maxCount)
                {
                    break;
                }
            }

            return events is null ? null : new EventLogPage { Events = events, Position = next - 1 };
        }
    }

    /// <summary>Events of one commit at consecutive positions from <see cref="First"/> (a commit with a gap makes two runs).</summary>
    private readonly record struct Run(long First, EventEnvelope[] Events, long Bytes);
}
