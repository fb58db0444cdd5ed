using System.Globalization;

namespace EventBus;

/// <summary>The bus's health: a status with the facts it rests on and the reasons for anything short of healthy.</summary>
/// <param name="Status">The overall status.</param>
/// <param name="State">The bus's lifecycle state.</param>
/// <param name="QueueDepth">Events accepted and not yet routed.</param>
/// <param name="Capacity">The queue's capacity.</param>
/// <param name="WorkersAlive">Dispatch workers running.</param>
/// <param name="WorkerCount">Dispatch workers configured.</param>
/// <param name="DeadLetterCount">Dead letters held.</param>
/// <param name="DeadLetterCapacity">The most dead letters held at once.</param>
/// <param name="OldestPendingAge">The age of the oldest event any subscription is handling or holding for a retry.</param>
/// <param name="Reasons">Why the status is not healthy; empty when it is.</param>
public sealed record EventBusHealthReport(
    EventBusHealthStatus Status,
    EventBusState State,
    long QueueDepth,
    int Capacity,
    int WorkersAlive,
    int WorkerCount,
    int DeadLetterCount,
    int DeadLetterCapacity,
    TimeSpan OldestPendingAge,
    IReadOnlyList<string> Reasons)
{
    /// <summary>Gets the deliveries that failed outside their handlers (see <see cref="EventBusStatistics.LaneFaults"/>); any makes the bus unhealthy.</summary>
    public long LaneFaults { get; init; }

    /// <summary>Gets the queue depth as a fraction of capacity.</summary>
    public double QueueRatio => Capacity == 0 ? 0 : (double)QueueDepth / Capacity;

    /// <summary>Evaluates the thresholds against the facts.</summary>
    internal static EventBusHealthReport Evaluate(
        EventBusHealthOptions thresholds, EventBusState state, long queueDepth, int capacity, int workersAlive, int workerCount, int deadLetters, int deadLetterCapacity, TimeSpan oldest, long laneFaults = 0)
    {
        List<string> unhealthy = [];
        List<string> degraded = [];
        if (state != EventBusState.Running)
        {
            unhealthy.Add($"the bus is {state}, not running");
        }
        else if (workersAlive < workerCount)
        {
            unhealthy.Add($"{workersAlive} of {workerCount} dispatch workers are alive");
        }

        if (laneFaults > 0)
        {
            unhealthy.Add($"{laneFaults} deliveries failed outside their handlers (in the bus or a telemetry listener) and were dead-lettered; see the error log");
        }

        double ratio = capacity == 0 ? 0 : (double)queueDepth / capacity;
        Classify(ratio >= thresholds.UnhealthyQueueRatio, ratio >= thresholds.DegradedQueueRatio, string.Create(CultureInfo.InvariantCulture, $"the queue holds {queueDepth} of {capacity} events ({ratio * 100:0}%)"), unhealthy, degraded);
        Classify(deadLetters >= (thresholds.UnhealthyDeadLetters ?? deadLetterCapacity), deadLetters >= thresholds.DegradedDeadLetters, $"{deadLetters} dead letters are held", unhealthy, degraded);
        Classify(oldest >= thresholds.UnhealthyPendingAge, oldest >= thresholds.DegradedPendingAge, string.Create(CultureInfo.InvariantCulture, $"the oldest pending event is {oldest.TotalSeconds:0.#} s old"), unhealthy, degraded);
        EventBusHealthStatus status = unhealthy.Count > 0 ? EventBusHealthStatus.Unhealthy : degraded.Count > 0 ? EventBusHealthStatus.Degraded : EventBusHealthStatus.Healthy;
        return new EventBusHealthReport(status, state, queueDepth, capacity, workersAlive, workerCount, deadLetters, deadLetterCapacity, oldest, [.. unhealthy, .. degraded]) { LaneFaults = laneFaults };
    }

    private static void Classify(bool isUnhealthy, bool isDegraded, string fact, List<string> unhealthy, List<string> degraded)
    {
        if (isUnhealthy)
        {
            unhealthy.Add(fact);
        }
        else if (isDegraded)
        {
            degraded.Add(fact);
        }
    }
}
