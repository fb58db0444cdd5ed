namespace EventBus.Tests.Dispatch;

public sealed class AsyncSignalTests
{
    [Fact]
    public void SetWithNobodyWaiting_DoesNothing_AndTheNextWaitWaits()
    {
        AsyncSignal signal = new();

        signal.Set();

        signal.Next.IsCompleted.Should().BeFalse("a signal nobody took is not remembered: waiters check their condition instead");
    }

    [Fact]
    public async Task Set_WakesEveryWaiterOfTheCurrentSignal_AndTheNextWaitGetsAFreshOne()
    {
        AsyncSignal signal = new();
        Task first = signal.Next;
        Task second = signal.Next;
        second.Should().BeSameAs(first, "waiters share the current signal");

        signal.Set();

        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        signal.Next.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task AWaiterThatChecksAfterTakingTheSignal_NeverMissesAChange()
    {
        // Two threads hand a token back and forth 20,000 times through one counter and one signal each way, using the
        // protocol the bus uses (take the signal, check, wait): a missed wake-up would hang the exchange.
        AsyncSignal toOdd = new();
        AsyncSignal toEven = new();
        long turn = 0;
        const int Turns = 20_000;

        async Task PlayAsync(int parity, AsyncSignal mine, AsyncSignal theirs)
        {
            while (true)
            {
                long current;
                while (true)
                {
                    Task wake = mine.Next;
                    current = Interlocked.Read(ref turn);
                    if (current >= Turns || current % 2 == parity)
                    {
                        break;
                    }

                    await wake.ConfigureAwait(false);
                }

                if (current >= Turns)
                {
                    theirs.Set();
                    return;
                }

                Interlocked.Increment(ref turn);
                theirs.Set();
            }
        }

        Task even = Task.Run(() => PlayAsync(0, toEven, toOdd));
        Task odd = Task.Run(() => PlayAsync(1, toOdd, toEven));

        await Task.WhenAll(even, odd).WaitAsync(TimeSpan.FromSeconds(60));
        Interlocked.Read(ref turn).Should().Be(Turns);
    }
}
