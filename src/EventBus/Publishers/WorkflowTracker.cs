using System.Collections.Concurrent;

namespace EventBus;

/// <summary>
/// What the workflow publisher remembers of each live workflow: the event that began it, the current phase and
/// the event that started each phase (for causation), and whether a recoverable error was reported. A workflow's
/// entry is removed by its terminal event (completed, failed or cancelled), so memory follows live workflows only.
/// </summary>
internal sealed class WorkflowTracker
{
    private readonly ConcurrentDictionary<string, State> _workflows = new(StringComparer.Ordinal);

    public int Count => _workflows.Count;

    public string? CurrentPhase(string workflowId) => _workflows.TryGetValue(workflowId, out State? state) ? state.CurrentPhase : null;

    /// <summary>Gets the id of the event new events of the workflow (and of the phase, when given) are caused by.</summary>
    public Guid? CauseFor(string workflowId, string? phase)
    {
        if (!_workflows.TryGetValue(workflowId, out State? state))
        {
            return null;
        }

        lock (state)
        {
            return phase is not null && state.PhaseStarts.TryGetValue(phase, out Guid started) ? started : state.RootId;
        }
    }

    public bool RecoveryAttempted(string workflowId) => _workflows.TryGetValue(workflowId, out State? state) && state.RecoveryAttempted;

    public void OnWorkflowEvent(EventEnvelope envelope, WorkflowEventType type)
    {
        if (type is WorkflowEventType.Completed or WorkflowEventType.Failed or WorkflowEventType.Cancelled)
        {
            _workflows.TryRemove(envelope.WorkflowId!, out _);
            return;
        }

        State state = _workflows.GetOrAdd(envelope.WorkflowId!, static _ => new State());
        lock (state)
        {
            state.RootId ??= envelope.Id;
        }
    }

    public void OnPhaseEvent(EventEnvelope envelope, PhaseEventType type)
    {
        State state = _workflows.GetOrAdd(envelope.WorkflowId!, static _ => new State());
        lock (state)
        {
            state.CurrentPhase = envelope.Phase;
            if (type == PhaseEventType.Started)
            {
                state.PhaseStarts[envelope.Phase!] = envelope.Id;
            }
        }
    }

    public void OnRecoverableError(string workflowId) =>
        _workflows.GetOrAdd(workflowId, static _ => new State()).RecoveryAttempted = true;

    private sealed class State
    {
        public Guid? RootId { get; set; }

        public string? CurrentPhase { get; set; }

        public volatile bool RecoveryAttempted;

        public Dictionary<string, Guid> PhaseStarts { get; } = new(StringComparer.Ordinal);
    }
}
