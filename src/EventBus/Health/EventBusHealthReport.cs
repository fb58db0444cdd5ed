using System.Globalization;

namespace EventBus;

/// <summary>The bus's health: a status with the facts it rests on and the reasons for anything short of healthy.</summary>
public sealed record EventBusHealthReport
{
    /// <summary>Gets the overall status.</summary>
    public required EventBusHealthStatus Status { get; init; }

    /// <summary>Gets the bus's lifecycle state.</summary>
    public required EventBusState State { get; init; }

    /// <summary>Gets events accepted and not yet routed.</summary>
    public long QueueDepth { get; init; }

    /// <summary>Gets the queue's capacity.</summary>
    public int Capacity { get; init; }

    /// <summary>Gets dispatch workers running.</summary>
    public int WorkersAlive { get; init; }

    /// <summary>Gets dispatch workers configured.</summary>
    public int WorkerCount { get; init; }

    /// <summary>Gets dead letters held.</summary>
    public int DeadLetterCount { get; init; }

    /// <summary>Gets the most dead letters held at once.</summary>
    public int DeadLetterCapacity { get; init; }

    /// <summary>Gets the age of the oldest event any subscription is handling or holding for a retry.</summary>
    public TimeSpan OldestPendingAge { get; init; }

    /// <summary>Gets why the status is not healthy; empty when it is.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

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
        return new EventBusHealthReport { Status = status, State = state, QueueDepth = queueDepth, Capacity = capacity, WorkersAlive = workersAlive, WorkerCount = workerCount, DeadLetterCount = deadLetters, DeadLetterCapacity = deadLetterCapacity, OldestPendingAge = oldest, Reasons = [.. unhealthy, .. degraded], LaneFaults = laneFaults };
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
