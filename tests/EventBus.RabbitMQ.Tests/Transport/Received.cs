using System.Collections.Concurrent;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>Collects events a subscription received and completes when a given number arrived.</summary>
internal sealed class Received
{
    private readonly ConcurrentQueue<EventEnvelope> _events = new();
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waits = [];

    public IReadOnlyList<EventEnvelope> Events => [.. _events];

    public void Add(EventEnvelope envelope)
    {
        _events.Enqueue(envelope);
        lock (_lock)
        {
            foreach ((int count, TaskCompletionSource done) in _waits)
            {
                if (_events.Count >= count)
                {
                    done.TrySetResult();
                }
            }
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> events arrived; the generous limit only stops a broken test from hanging.</summary>
    public Task WaitForAsync(int count)
    {
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_events.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waits.Add((count, done));
        }

        return done.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }
}
