using CsCheck;

namespace EventBus.RabbitMQ.Tests.Outbound;

/// <summary>How events are packed into messages: one type and one bucket per message, within the limits, order per key kept.</summary>
public sealed class MessageGroupingTests
{
    private static EventEnvelope Event(string type, string key) => new EventBuilder(type).WithWorkflow(key).Build();

    [Fact]
    public void EventsOfOneKeyAndType_ShareAMessage_UpToTheLimit()
    {
        EventEnvelope[] events = [.. Enumerable.Range(0, 5).Select(_ => Event("order.placed", "order-1"))];

        List<List<int>> messages = MessageGrouping.Group(events, [.. events.Select(_ => 10)], maxEvents: 2, maxBytes: 1_000);

        messages.Should().BeEquivalentTo(new List<List<int>> { new() { 0, 1 }, new() { 2, 3 }, new() { 4 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void AMessage_StaysWithinTheByteLimit_CountingTheArray()
    {
        EventEnvelope[] events = [.. Enumerable.Range(0, 3).Select(_ => Event("order.placed", "order-1"))];

        // Two events of 10 bytes make [a,b] = 23 bytes: over 22, each goes alone.
        MessageGrouping.Group(events, [10, 10, 10], maxEvents: 100, maxBytes: 22).Should().HaveCount(3);
        MessageGrouping.Group(events, [10, 10, 10], maxEvents: 100, maxBytes: 23).Should().HaveCount(2);
    }

    [Fact]
    public void AnotherType_StartsAnotherMessage_AfterTheFirst()
    {
        EventEnvelope[] events = [Event("order.placed", "k"), Event("order.paid", "k"), Event("order.placed", "k")];

        List<List<int>> messages = MessageGrouping.Group(events, [1, 1, 1], maxEvents: 100, maxBytes: 1_000);

        messages.Should().BeEquivalentTo(new List<List<int>> { new() { 0 }, new() { 1 }, new() { 2 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void TheBucketOfAKey_IsTheSameInEveryProcess()
    {
        // A fixed expectation: the hash must not depend on the process (string.GetHashCode does).
        MessageGrouping.PartitionHeader(Event("t", "order-1"), eventsPerMessage: 100).Should().Be("bucket-13", "32-bit FNV-1a of order-1 modulo 16 is 13");
        MessageGrouping.PartitionHeader(Event("t", "order-1"), eventsPerMessage: 1).Should().Be("order-1");
    }

    [Fact]
    public void EveryEventIsInOneMessage_MessagesHaveOneTypeAndBucket_AndEachBucketKeepsItsOrder()
    {
        Gen.Select(Gen.Int[0, 40], Gen.Int[0, 2], Gen.Int[1, 300]).Array[0, 200]
            .Sample(items =>
            {
                EventEnvelope[] events = [.. items.Select(i => Event("type." + i.Item2, "key-" + i.Item1))];
                int[] sizes = [.. items.Select(i => i.Item3)];

                List<List<int>> messages = MessageGrouping.Group(events, sizes, maxEvents: 7, maxBytes: 1_000);

                messages.SelectMany(m => m).Should().BeEquivalentTo(Enumerable.Range(0, events.Length));
                foreach (List<int> message in messages)
                {
                    message.Count.Should().BeInRange(1, 7);
                    message.Select(i => events[i].Type).Distinct().Should().ContainSingle();
                    message.Select(i => MessageGrouping.PartitionHeader(events[i], 7)).Distinct().Should().ContainSingle();
                    (message.Count == 1 || 1 + message.Count + message.Sum(i => sizes[i]) <= 1_000).Should().BeTrue();
                }

                // Published in list order, each bucket's events must come out in their original order.
                foreach (IGrouping<string, int> bucket in messages.SelectMany(m => m).GroupBy(i => MessageGrouping.PartitionHeader(events[i], 7)))
                {
                    bucket.Should().BeInAscendingOrder();
                }
            });
    }
}
