using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EventBus.Tests.Regressions;

/// <summary>
/// The task a second, concurrent <c>UnsubscribeAsync</c> returned was assigned outside the state lock, so that caller
/// could get an already completed task while the handler was still running, breaking "after it returns, the handler
/// never runs". Every caller now waits for the lanes to end.
/// </summary>
public sealed class ConcurrentUnsubscribeWaitsForTheHandlerTests
{
    [Fact]
    public async Task ASecondUnsubscribe_WhileTheFirstIsUnderWay_WaitsForTheRunningHandler()
    {
        // The first caller is held inside its removal log line: after the state changed, before it stored its task.
        BlockingLoggerFactory loggers = new(eventId: 31);
        await using IEventBus bus = EventBusFactory.Create(o => o.WorkerCount = 1, loggers);
        await bus.StartAsync();
        TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Signal started = new(1);
        int running = 0;
        ISubscription subscription = bus.Subscribe(EventFilter.All, async (_, _) =>
        {
            Interlocked.Increment(ref running);
            started.Hit();
            await release.Task;
            Interlocked.Decrement(ref running);
        });
        await bus.PublishAsync(Buses.Event());
        await started.WaitAsync();

        Task first = Task.Run(async () => await subscription.UnsubscribeAsync());
        await loggers.Entered.WaitAsync();
        ValueTask second = subscription.UnsubscribeAsync();

        second.IsCompleted.Should().BeFalse("the handler is still running, so the second caller must wait for it");
        loggers.Release();
        release.SetResult();
        await second.Within();
        Volatile.Read(ref running).Should().Be(0);
        await first.Within();
    }

    /// <summary>A logger factory whose loggers block the thread that writes the given event id until released.</summary>
    private sealed class BlockingLoggerFactory(int eventId) : ILoggerFactory, ILogger
    {
        private readonly ManualResetEventSlim _release = new();

        public Signal Entered { get; } = new(1);

        public void Release() => _release.Set();

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (id.Id == eventId)
            {
                Entered.Hit();
                _release.Wait(TestLimits.Hang);
            }
        }

        public void Dispose() => _release.Dispose();
    }
}
