using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Tests.Transport;

public sealed class BatchingSenderTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnEventAlone_LeavesAtOnceAlone_AndTheEventsArrivingWhileABatchIsIssued_LeaveTogetherInTheNext()
    {
        EventEnvelope first = Event("first");
        EventEnvelope[] next = [Event("a"), Event("b"), Event("c")];
        (HeldPublisher publisher, BatchingSender sender, Task firstSent) = await HoldFirstBatchAsync(first);
        Task[] nextSent = [.. next.Select(e => sender.SendAsync(e, CancellationToken.None))];
        nextSent.Should().OnlyContain(t => !t.IsCompleted);
        publisher.Release();
        await Task.WhenAll([firstSent, .. nextSent]).WaitAsync(Hang);

        publisher.Batches.Should().HaveCount(2);
        publisher.Batches[0].Should().Equal(first);
        publisher.Batches[1].Should().Equal(next);
    }

    [Fact]
    public async Task WhileSixteenBatchesAwaitTheirConfirms_TheNextEventsWait_AndLeaveTogetherWhenOneIsConfirmed()
    {
        ConfirmingPublisher publisher = new();
        BatchingSender sender = new(publisher);
        Task[] alone = [.. Enumerable.Range(0, 16).Select(i => sender.SendAsync(Event("alone-" + i), CancellationToken.None))];
        publisher.Batches.Should().HaveCount(16).And.OnlyContain(batch => batch.Count == 1, "at a low rate each event leaves at once");

        Task[] waiting = [.. Enumerable.Range(0, 3).Select(i => sender.SendAsync(Event("waiting-" + i), CancellationToken.None))];
        publisher.Batches.Should().HaveCount(16, "sixteen batches are in flight");
        publisher.Confirm(0);
        await alone[0].WaitAsync(Hang);

        publisher.Batches.Should().HaveCount(17);
        publisher.Batches[16].Select(e => e.Type).Should().Equal("waiting-0", "waiting-1", "waiting-2");
        waiting.Should().OnlyContain(t => !t.IsCompleted, "they are sent, not yet confirmed");
        publisher.ConfirmAll();
        await Task.WhenAll([.. alone, .. waiting]).WaitAsync(Hang);
    }

    [Fact]
    public async Task ABatchRefusedForOneEvent_IsSentEventByEvent_SoOnlyThatEventFails()
    {
        (HeldPublisher publisher, BatchingSender sender, Task firstSent) = await HoldFirstBatchAsync(Event("first"));
        EventEnvelope poison = Event("poison");
        publisher.Refuse = poison.Id;
        EventEnvelope before = Event("before");
        EventEnvelope after = Event("after");
        Task beforeSent = sender.SendAsync(before, CancellationToken.None);
        Task poisonSent = sender.SendAsync(poison, CancellationToken.None);
        Task afterSent = sender.SendAsync(after, CancellationToken.None);
        publisher.Release();

        await Task.WhenAll(firstSent, beforeSent, afterSent).WaitAsync(Hang);
        await FluentActions.Awaiting(() => poisonSent).Should().ThrowAsync<ArgumentException>().WithMessage($"*{poison.Id}*");
        publisher.Sent.Select(e => e.Type).Should().Equal("first", "before", "after");
    }

    [Fact]
    public async Task ABatchThatFails_FailsEveryEventOfIt_ForEachHandlerToRetry()
    {
        (HeldPublisher publisher, BatchingSender sender, Task firstSent) = await HoldFirstBatchAsync(Event("first"));
        publisher.FailNextBatch = new InvalidOperationException("the broker went away");
        Task[] failing = [sender.SendAsync(Event("a"), CancellationToken.None), sender.SendAsync(Event("b"), CancellationToken.None)];
        publisher.Release();

        await firstSent.WaitAsync(Hang);
        foreach (Task sent in failing)
        {
            await FluentActions.Awaiting(() => sent).Should().ThrowAsync<InvalidOperationException>().WithMessage("the broker went away");
        }

        // The next event is not held back by the failure.
        await sender.SendAsync(Event("later"), CancellationToken.None).WaitAsync(Hang);
        publisher.Sent.Select(e => e.Type).Should().Equal("first", "later");
    }

    [Fact]
    public async Task UnderASteadyStream_TheSenderThatBeganIssuing_ReturnsAfterSixteenBatches_AndTheThreadPoolIssuesTheRest()
    {
        // Every batch issued brings one more event (a stream that never pauses); the 17th call waits for the test.
        HeldPublisher publisher = new(holdCall: 17);
        BatchingSender sender = new(publisher);
        List<Task> streamed = [];
        publisher.OnBatch = calls =>
        {
            if (calls <= 30)
            {
                streamed.Add(sender.SendAsync(Event("stream-" + calls), CancellationToken.None));
            }
        };

        Task first = sender.SendAsync(Event("first"), CancellationToken.None);

        // Returned to its caller while events were still waiting: the issuing went on elsewhere.
        publisher.Calls.Should().Be(16);
        await publisher.Held.Task.WaitAsync(Hang);
        publisher.Release();
        await first.WaitAsync(Hang);
        await publisher.WaitForSentAsync(31).WaitAsync(Hang);
        await Task.WhenAll(streamed).WaitAsync(Hang);
        publisher.Batches.Should().OnlyContain(batch => batch.Count == 1);
    }

    [Fact]
    public async Task AHandlerThatStopsWaiting_StopsAlone_AndItsEventIsStillSent()
    {
        (HeldPublisher publisher, BatchingSender sender, Task firstSent) = await HoldFirstBatchAsync(Event("first"));
        using CancellationTokenSource handlerTimeout = new();
        Task slowSent = sender.SendAsync(Event("slow"), handlerTimeout.Token);
        Task otherSent = sender.SendAsync(Event("other"), CancellationToken.None);
        await handlerTimeout.CancelAsync();

        await FluentActions.Awaiting(() => slowSent).Should().ThrowAsync<OperationCanceledException>();
        otherSent.IsCompleted.Should().BeFalse();
        publisher.Release();
        await Task.WhenAll(firstSent, otherSent).WaitAsync(Hang);
        await publisher.WaitForSentAsync(3).WaitAsync(Hang);
        publisher.Batches[1].Select(e => e.Type).Should().Equal("slow", "other");
    }

    [Fact]
    public async Task TheInMemoryOutbox_HandsItsPublisherBatches_NotOneEventAtATime()
    {
        ConfirmingPublisher publisher = new() { ConfirmAtOnce = true };
        ServiceCollection services = new();
        services.AddEventBus().AddExternalPublisher(_ => publisher, ["order.*"]);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        await bus.StartAsync();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => bus.PublishAsync(new EventBuilder("order.placed").WithWorkflow("order-" + i).Build()).AsTask()));
        await bus.WaitForIdleAsync();

        publisher.Batches.Sum(batch => batch.Count).Should().Be(50);
        publisher.SingleSends.Should().Be(0, "the relay sends through PublishBatchAsync, so a publisher can pack what waits");
        provider.GetRequiredService<ExternalRelays>()[publisher.Name].Sent.Should().Be(50);
    }

    /// <summary>
    /// Sends <paramref name="first"/> on a pool thread, which issues its batch itself and is held inside the publisher
    /// while it does: every send made meanwhile waits for the next batch.
    /// </summary>
    private static async Task<(HeldPublisher Publisher, BatchingSender Sender, Task FirstSent)> HoldFirstBatchAsync(EventEnvelope first)
    {
        HeldPublisher publisher = new(holdCall: 1);
        BatchingSender sender = new(publisher);
        Task firstSent = Task.Run(() => sender.SendAsync(first, CancellationToken.None));
        await publisher.Held.Task.WaitAsync(Hang);
        return (publisher, sender, firstSent);
    }

    private static EventEnvelope Event(string type) => new EventBuilder(type).Build();

    /// <summary>A publisher whose batches stay unconfirmed until the test confirms them.</summary>
    private sealed class ConfirmingPublisher : IExternalPublisher
    {
        private readonly List<(IReadOnlyList<EventEnvelope> Events, TaskCompletionSource Confirmed)> _batches = [];

        private int _singleSends;

        public string Name => "confirming";

        public bool ConfirmAtOnce { get; init; }

        public int SingleSends => Volatile.Read(ref _singleSends);

        public IReadOnlyList<IReadOnlyList<EventEnvelope>> Batches
        {
            get
            {
                lock (_batches)
                {
                    return [.. _batches.Select(b => b.Events)];
                }
            }
        }

        public void Confirm(int batch)
        {
            lock (_batches)
            {
                _batches[batch].Confirmed.TrySetResult();
            }
        }

        public void ConfirmAll()
        {
            lock (_batches)
            {
                _batches.ForEach(b => b.Confirmed.TrySetResult());
            }
        }

        public ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _singleSends);
            return PublishBatchAsync([envelope], cancellationToken);
        }

        public ValueTask PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
        {
            TaskCompletionSource confirmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            if (ConfirmAtOnce)
            {
                confirmed.SetResult();
            }

            lock (_batches)
            {
                _batches.Add((envelopes, confirmed));
            }

            return new ValueTask(confirmed.Task);
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// A publisher that records each batch, holds the numbered call (on the caller's thread, as issuing is synchronous)
    /// until the test releases it, and refuses or fails batches on request.
    /// </summary>
    private sealed class HeldPublisher(int holdCall) : IExternalPublisher
    {
        private readonly ManualResetEventSlim _release = new();
        private readonly List<EventEnvelope> _sent = [];
        private readonly List<IReadOnlyList<EventEnvelope>> _batches = [];
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
        private int _calls;

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Guid? Refuse { get; set; }

        public Exception? FailNextBatch { get; set; }

        public Action<int>? OnBatch { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "held";

        public IReadOnlyList<IReadOnlyList<EventEnvelope>> Batches
        {
            get
            {
                lock (_sent)
                {
                    return [.. _batches];
                }
            }
        }

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

        public void Release() => _release.Set();

        public Task WaitForSentAsync(int count)
        {
            lock (_sent)
            {
                if (_sent.Count >= count)
                {
                    return Task.CompletedTask;
                }

                TaskCompletionSource reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, reached));
                return reached.Task;
            }
        }

        public ValueTask PublishAsync(EventEnvelope envelope, CancellationToken cancellationToken = default)
        {
            if (envelope.Id == Refuse)
            {
                return ValueTask.FromException(new ArgumentException($"Event {envelope.Id} can never be sent."));
            }

            Record([envelope], batch: false);
            return ValueTask.CompletedTask;
        }

        public ValueTask PublishBatchAsync(IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) is int call && call == holdCall)
            {
                Held.TrySetResult();
                _release.Wait(TimeSpan.FromSeconds(60), CancellationToken.None);
            }

            OnBatch?.Invoke(call);
            if (envelopes.FirstOrDefault(e => e.Id == Refuse) is { } refused)
            {
                return ValueTask.FromException(new ArgumentException($"Event {refused.Id} can never be sent; none of the batch was."));
            }

            if (FailNextBatch is { } failure && call > holdCall)
            {
                FailNextBatch = null;
                return ValueTask.FromException(failure);
            }

            Record(envelopes, batch: true);
            return ValueTask.CompletedTask;
        }

        private void Record(IReadOnlyList<EventEnvelope> envelopes, bool batch)
        {
            lock (_sent)
            {
                if (batch)
                {
                    _batches.Add(envelopes);
                }

                _sent.AddRange(envelopes);
                _waiters.RemoveAll(waiter => waiter.Count <= _sent.Count && waiter.Reached.TrySetResult() | true);
            }
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync()
        {
            _release.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
