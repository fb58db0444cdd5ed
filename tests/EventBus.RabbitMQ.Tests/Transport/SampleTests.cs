using EventBus.RabbitMQ.Tests.Broker;

namespace EventBus.RabbitMQ.Tests.Transport;

/// <summary>
/// The RabbitMQ sample as its README runs it: separate producer and consumer processes on one broker, and a consumer
/// restart in the middle that loses nothing.
/// </summary>
[Collection(SharedBroker.Name)]
public sealed class SampleTests(RabbitMqNode node)
{
    [Fact]
    public async Task ProducerAndConsumerProcesses_CarryEveryEvent_AcrossAConsumerRestart()
    {
        using SampleProcess first = SampleProcess.Start(node.Port, "consumer", "--expect", "8");
        await first.WaitForAsync(lines => lines.Contains("consumer: ready"));
        await RunProducerAsync(workflows: 1);
        (await first.ExitAsync()).Should().Be(0, "the first consumer stops after its 8 events; it wrote: {0}", await first.Errors);

        // Published while no consumer runs: the durable queue keeps them.
        await RunProducerAsync(workflows: 2);
        using SampleProcess second = SampleProcess.Start(node.Port, "consumer");
        await second.WaitForAsync(lines => lines.Contains("consumer: ready"));
        await second.WaitForAsync(lines => DistinctEvents(first.Lines.Concat(lines)).Count == 24);
        second.Interrupt();
        (await second.ExitAsync()).Should().Be(0, "Ctrl+C stops the consumer cleanly; it wrote: {0}", await second.Errors);

        List<string> events = DistinctEvents(first.Lines.Concat(second.Lines));
        events.Should().HaveCount(24, "every event arrived once the second consumer caught up");
        foreach (IGrouping<string, string> workflow in events.GroupBy(line => Fields(line)[2]))
        {
            workflow.Select(line => Fields(line)[1]).Should().Equal(
                ["workflow.started", "phase.started", "phase.completed", "phase.started", "phase.completed", "phase.started", "phase.completed", "workflow.completed"],
                $"{workflow.Key}'s events arrive in order");
        }
    }

    private async Task RunProducerAsync(int workflows)
    {
        using SampleProcess producer = SampleProcess.Start(node.Port, "producer", "--workflows", workflows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await producer.ExitAsync()).Should().Be(0, "the producer wrote: {0}", await producer.Errors);
        producer.Lines.Should().Contain(line => line.Contains($"{workflows * 8} events published and confirmed", StringComparison.Ordinal));
    }

    private static string[] Fields(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The event lines, first sighting of each id only (a message handled but not acknowledged before a stop comes again).</summary>
    private static List<string> DistinctEvents(IEnumerable<string> lines) =>
        [.. lines.Where(line => line.StartsWith("consumer: ", StringComparison.Ordinal) && line.Contains(" id=", StringComparison.Ordinal))
            .DistinctBy(line => line[(line.IndexOf(" id=", StringComparison.Ordinal) + 4)..])];
}
