using System.Runtime.CompilerServices;

namespace EventBus;

/// <summary>Reading every page and recovering state, on top of any <see cref="IEventStore"/>.</summary>
public static class EventStoreExtensions
{
    /// <summary>Reads every event <paramref name="query"/> selects, page after page, in its order.</summary>
    /// <param name="store">The store.</param>
    /// <param name="query">The criteria; its limit is the page size and its continuation token where to start. It is not changed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events.</returns>
    public static async IAsyncEnumerable<EventEnvelope> ReadAllAsync(this IEventStore store, EventQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        EventQuery page = query.Copy();
        do
        {
            EventPage events = await store.QueryAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (EventEnvelope envelope in events.Events)
            {
                yield return envelope;
            }

            page.ContinuationToken = events.ContinuationToken;
        }
        while (page.ContinuationToken is not null);
    }

    /// <summary>
    /// Rebuilds a workflow's state by folding its stored events, in order, into <paramref name="initial"/> with
    /// <paramref name="apply"/>.
    /// </summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="workflowId">The workflow id.</param>
    /// <param name="initial">The state before the first event.</param>
    /// <param name="apply">Returns the state after one more event.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state after the last stored event.</returns>
    public static async Task<TState> RecoverWorkflowStateAsync<TState>(
        this IEventStore store,
        string workflowId,
        TState initial,
        Func<TState, EventEnvelope, TState> apply,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(apply);
        TState state = initial;
        await foreach (EventEnvelope envelope in store.ReadWorkflowAsync(workflowId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            state = apply(state, envelope);
        }

        return state;
    }
}
