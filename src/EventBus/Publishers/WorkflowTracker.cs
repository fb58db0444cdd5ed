namespace EventBus;

/// <summary>
/// What the workflow publisher remembers of each live workflow: the event that began it, the current phase and
/// the event that started each phase (for causation), and whether a recoverable error was reported. A workflow's
/// entry is removed by its terminal event (completed, failed or cancelled). Workflows that never end are bounded:
/// past <c>capacity</c> the least recently used is forgotten, and each eviction is counted.
/// </summary>
/// <remarks>One lock guards the map and the recency list: each call does a few dictionary and list operations.</remarks>
internal sealed class WorkflowTracker(int capacity, Action<string> onFirstEviction)
{
    private readonly Lock _lock = new();

    // Guarded by _lock. Recency runs from least (first) to most (last) recently used.
    private readonly Dictionary<string, LinkedListNode<Entry>> _workflows = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private long _evicted;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _workflows.Count;
            }
        }
    }

    public long Evicted => Interlocked.Read(ref _evicted);

    public string? CurrentPhase(string workflowId)
    {
        lock (_lock)
        {
            return Find(workflowId)?.CurrentPhase;
        }
    }

    /// <summary>Gets the id of the event new events of the workflow (and of the phase, when given) are caused by.</summary>
    public Guid? CauseFor(string workflowId, string? phase)
    {
        lock (_lock)
        {
            return Find(workflowId) is not { } state ? null
                : phase is not null && state.PhaseStarts.TryGetValue(phase, out Guid started) ? started : state.RootId;
        }
    }

    public bool RecoveryAttempted(string workflowId)
    {
        lock (_lock)
        {
            return Find(workflowId)?.RecoveryAttempted ?? false;
        }
    }

    public void OnWorkflowEvent(EventEnvelope envelope, WorkflowEventType type)
    {
        string? evicted;
        lock (_lock)
        {
            if (type is WorkflowEventType.Completed or WorkflowEventType.Failed or WorkflowEventType.Cancelled)
            {
                if (_workflows.Remove(envelope.WorkflowId!, out LinkedListNode<Entry>? node))
                {
                    _recency.Remove(node);
                }

                return;
            }

            State state = GetOrAdd(envelope.WorkflowId!, out evicted);
            state.RootId ??= envelope.Id;
        }

        ReportEviction(evicted);
    }

    public void OnPhaseEvent(EventEnvelope envelope, PhaseEventType type)
    {
        string? evicted;
        lock (_lock)
        {
            State state = GetOrAdd(envelope.WorkflowId!, out evicted);
            state.CurrentPhase = envelope.Phase;
            if (type == PhaseEventType.Started)
            {
                state.PhaseStarts[envelope.Phase!] = envelope.Id;
            }
        }

        ReportEviction(evicted);
    }

    public void OnRecoverableError(string workflowId)
    {
        string? evicted;
        lock (_lock)
        {
            GetOrAdd(workflowId, out evicted).RecoveryAttempted = true;
        }

        ReportEviction(evicted);
    }

    /// <summary>Finds a workflow and marks it most recently used. Under the lock.</summary>
    private State? Find(string workflowId)
    {
        if (!_workflows.TryGetValue(workflowId, out LinkedListNode<Entry>? node))
        {
            return null;
        }

        _recency.Remove(node);
        _recency.AddLast(node);
        return node.Value.State;
    }

    /// <summary>Finds or adds a workflow, evicting the least recently used past the capacity. Under the lock.</summary>
    private State GetOrAdd(string workflowId, out string? evicted)
    {
        evicted = null;
        if (Find(workflowId) is { } state)
        {
            return state;
        }

        if (_workflows.Count >= capacity && _recency.First is { } oldest)
        {
            _recency.RemoveFirst();
            _workflows.Remove(oldest.Value.WorkflowId);
            evicted = oldest.Value.WorkflowId;
        }

        LinkedListNode<Entry> added = _recency.AddLast(new Entry(workflowId, new State()));
        _workflows.Add(workflowId, added);
        return added.Value.State;
    }

    /// <summary>Counts an eviction; the first is reported (logged by the publisher), later ones only counted.</summary>
    private void ReportEviction(string? workflowId)
    {
        if (workflowId is not null && Interlocked.Increment(ref _evicted) == 1)
        {
            onFirstEviction(workflowId);
        }
    }

    private readonly record struct Entry(string WorkflowId, State State);

    private sealed class State
    {
        public Guid? RootId { get; set; }

        public string? CurrentPhase { get; set; }

        public bool RecoveryAttempted { get; set; }

        public Dictionary<string, Guid> PhaseStarts { get; } = new(StringComparer.Ordinal);
    }
}
