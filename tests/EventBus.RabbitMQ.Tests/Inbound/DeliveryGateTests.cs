namespace EventBus.RabbitMQ.Tests.Inbound;

public sealed class DeliveryGateTests
{
    [Fact]
    public void ClosingWithNothingInFlight_IsDrainedAtOnce_AndRefusesLaterDeliveries()
    {
        DeliveryGate gate = new();

        Task drained = gate.CloseAsync();

        drained.IsCompletedSuccessfully.Should().BeTrue();
        gate.IsClosed.Should().BeTrue();
        gate.TryEnter().Should().BeFalse("a delivery arriving during the stop is left for the next consumer");
        gate.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task ClosingWithDeliveriesInFlight_DrainsWhenTheLastOneExits()
    {
        DeliveryGate gate = new();
        gate.TryEnter().Should().BeTrue();
        gate.TryEnter().Should().BeTrue();

        Task drained = gate.CloseAsync();
        gate.InFlight.Should().Be(2);
        gate.Exit();
        drained.IsCompleted.Should().BeFalse("one delivery is still being handled");
        gate.Exit();

        await drained.WaitAsync(TimeSpan.FromSeconds(10));
        gate.InFlight.Should().Be(0);
    }

    [Fact]
    public async Task ADeliveryRacingTheClose_IsEitherRefusedOrWaitedFor()
    {
        // Many rounds of deliveries racing a close on other threads: whichever wins, no delivery is inside the gate once
        // the drain has completed, and the drain always completes.
        for (int round = 0; round < 200; round++)
        {
            DeliveryGate gate = new();
            Task drained = new TaskCompletionSource().Task;
            int insideAfterDrain = 0;
            using Barrier start = new(3);
            Task[] deliveries = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                for (int i = 0; i < 50 && gate.TryEnter(); i++)
                {
                    if (Volatile.Read(ref drained).IsCompleted)
                    {
                        Interlocked.Increment(ref insideAfterDrain);
                    }

                    gate.Exit();
                }
            }))];
            start.SignalAndWait();
            Volatile.Write(ref drained, gate.CloseAsync());
            await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(30));
            await drained.WaitAsync(TimeSpan.FromSeconds(30));

            insideAfterDrain.Should().Be(0, $"no delivery may be inside the gate once it has drained (round {round})");
            gate.TryEnter().Should().BeFalse();
        }
    }
}
