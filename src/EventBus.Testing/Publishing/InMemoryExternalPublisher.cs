namespace EventBus.Testing;

/// <summary>
/// An <see cref="IExternalPublisher"/> that keeps what it is sent, for tests of what an application carries out of the
/// process: register it with <c>AddExternalPublisher</c>, then assert on <see cref="Sent"/>. It can be made unavailable
/// (every send fails, as a broker that is down) or told to refuse events that can never be sent.
/// </summary>
public sealed class InMemoryExternalPublisher : IExternalPublisher
{
    private readonly List<EventEnvelope> _sent = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private long _attempts;
    private int _failuresToInject;
    private volatile bool _available = true;

    /// <summary>Initializes a new instance of the <see cref="InMemoryExternalPublisher"/> class.</summary>
    /// <param name="name">The publisher's name; its relay's subscriber id is <c>external:{name}</c>.</param>
    public InMemoryExternalPublisher(string name = "memory")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>
    /// Gets or sets a value indicating whether sends succeed. While <see langword="false"/>, each send throws an
    /// <see cref="InvalidOperationException"/>, as a broker that is down: the relay keeps the events and retries.
    /// </summary>
    public bool IsAvailable
    {
        get => _available;
        set => _available = value;
    }

    /// <summary>
    /// Gets or sets a test of events that can never be sent: for those, sends throw an <see cref="ArgumentException"/>,
    /// which the relay answers by dead-lettering the event.
    /// </summary>
    public Func<EventEnvelope, bool>? Refuse { get; set; }

    /// <summary>Makes the next <paramref name="count"/> sends fail as <see cref="IsAvailable"/> = false would, then succeed again: a brief outage.</summary>
    /// <param name="count">How many sends fail (a batch fails at its first event, counting one).</param>
    public void FailNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Volatile.Write(ref _failuresToInject, count);
    }

    /// <summary>Gets a snapshot of the events taken, in the order they were taken (a retried event may appear twice).</summary>
    public IReadOnlyList<EventEnvelope> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Gets the number of sends attempted, failed ones included.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Gets the number of times <see cref="DisposeAsync"/> was called.</summary>
    public int Disposals { get; private set; }

    /// <summary>Waits until at least <paramref name="count"/> events were taken.</summary>
    /// <param name="count">The number of events.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once that many were taken.</returns>
    public Task WaitForSentAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_sent)
        {
            if (_sent.Count >= count)
            {
                return Task.CompletedTask;
            }

            TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _attempts);
        if (!_available || TakeInjectedFailure())
        {
            throw new InvalidOperationException($"The in-memory external publisher '{Name}' is unavailable (IsAvailable is false).");
        }

        if (Refuse?.Invoke(envelope) == true)
        {
            throw new ArgumentException($"The in-memory external publisher '{Name}' refuses event {envelope.Type} {envelope.Id} (its Refuse test matched).", nameof(envelope));
        }

        lock (_sent)
        {
            _sent.Add(envelope);
            _waiters.RemoveAll(waiter => waiter.Count <= _sent.Count && waiter.Reached.TrySetResult() | true);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// An event that <see cref="Refuse"/> matches refuses the whole batch before any of it is taken (one attempt);
    /// otherwise takes the events one after another, and the first that fails ends the batch with its exception.
    /// </remarks>
    public async ValueTask PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelopes);

        // As a broker's publisher does: an event that can never be sent refuses the batch before any of it is sent.
        if (Refuse is { } refuse && envelopes.FirstOrDefault(refuse) is { } refused)
        {
            Interlocked.Increment(ref _attempts);
            throw new ArgumentException($"The in-memory external publisher '{Name}' refuses event {refused.Type} {refused.Id} (its Refuse test matched), and with it the batch of {envelopes.Count}.", nameof(envelopes));
        }

        foreach (EventEnvelope envelope in envelopes)
        {
            await PublishAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TakeInjectedFailure()
    {
        int left;
        do
        {
            left = Volatile.Read(ref _failuresToInject);
            if (left == 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _failuresToInject, left - 1, left) != left);

        return true;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Disposals++;
        return ValueTask.CompletedTask;
    }
}
