using System.Collections.Concurrent;

namespace EventBus.Docs.Tests.Snippets;

/// <summary>The README's retries and dead letters, run.</summary>
public sealed class ResilienceSnippets
{
    [Fact]
    public async Task Retry_PerSubscription_ThenDeadLetter()
    {
        await using IEventBus bus = EventBusFactory.Create();
        await bus.StartAsync();
        int attempts = 0;
        ValueTask ChargeAsync(EventEnvelope e, CancellationToken ct)
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("card service down");
        }

        // begin-snippet: retry
        bus.Subscribe(EventFilter.Pattern("payment.*"), ChargeAsync, new SubscriptionOptions
        {
            Retry = RetryPolicy.Exponential(maxAttempts: 5, initialDelay: TimeSpan.FromMilliseconds(20), maxDelay: TimeSpan.FromSeconds(10)),
            HandlerTimeout = TimeSpan.FromSeconds(5),   // the handler's token is cancelled; if it then throws, the attempt failed
        });
        // end-snippet
        await bus.PublishAndWaitAsync(EventEnvelope.Create("payment.requested"));

        attempts.Should().Be(5);
        bus.DeadLetters.List().Should().ContainSingle().Which.Attempts.Should().Be(5);
    }

    [Fact]
    public async Task DeadLetters_AreRetriedAndPurgedByIdOrQuery()
    {
        await using IEventBus bus = EventBusFactory.Create();
        await bus.StartAsync();
        bool healthy = false;
        ConcurrentQueue<string> handled = [];
        bus.Subscribe("#", e =>
        {
            if (!Volatile.Read(ref healthy))
            {
                throw new InvalidOperationException("down");
            }

            handled.Enqueue(e.Type);
        });
        EventEnvelope refund = EventEnvelope.Create("refund.requested");
        await bus.PublishAndWaitAsync(EventEnvelope.Create("payment.requested"));
        await bus.PublishAndWaitAsync(refund);
        await bus.PublishAndWaitAsync(EventEnvelope.Create("quote.offered"));
        Volatile.Write(ref healthy, true);

        // begin-snippet: dead-letters
        DeadLetter letter = bus.DeadLetters.List(new DeadLetterQuery { TypePattern = "payment.*" })[0];
        bus.DeadLetters.Retry(letter.Id);                                        // redelivered once, to its subscription
        bus.DeadLetters.RetryAll(new DeadLetterQuery { EventId = refund.Id });   // every subscription that gave up on it
        bus.DeadLetters.PurgeAll(new DeadLetterQuery { Reason = DeadLetterReason.Failed, Limit = 100 });
        // end-snippet
        await bus.WaitForIdleAsync();

        handled.Should().BeEquivalentTo(["payment.requested", "refund.requested"]);
        bus.DeadLetters.Count.Should().Be(0, "the quote's dead letter was purged");
    }
}
