namespace EventBus.RabbitMQ;

/// <summary>
/// Decides which events travel together in one AMQP message, and the partition header they travel with. A message holds
/// events of one type (it has one routing key) and one bucket of ordering keys (it has one partition header, so it lands
/// in one partition queue), and the messages of a bucket leave in the order of their events: events of one key keep their
/// order however they are packed.
/// </summary>
internal static class MessageGrouping
{
    /// <summary>
    /// The number of buckets ordering keys are hashed into when events are packed. Fewer buckets pack more events per
    /// message; more spread them more evenly over partition queues. 16 packs events of many keys together at moderate rates, and spreads them over up to 16 partition queues.
    /// </summary>
    public const int Buckets = 16;

    private static readonly string[] BucketNames = [.. Enumerable.Range(0, Buckets).Select(b => "bucket-" + b.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>The event's ordering key: its workflow, else its correlation, else its own id.</summary>
    public static string OrderingKey(EventEnvelope envelope) => envelope.WorkflowId ?? envelope.CorrelationId ?? envelope.Id.ToString();

    /// <summary>
    /// The partition header of an event: its ordering key when events travel alone, else its key's bucket. The hash is
    /// stable across processes and restarts (unlike <see cref="string.GetHashCode()"/>): a key's events published before and
    /// after a restart must land in the same partition queue, or the later ones could be handled before the earlier ones.
    /// </summary>
    public static string PartitionHeader(EventEnvelope envelope, int eventsPerMessage) =>
        eventsPerMessage == 1 ? OrderingKey(envelope) : BucketNames[Fnv1a(OrderingKey(envelope)) % Buckets];

    /// <summary>
    /// Packs <paramref name="envelopes"/> (already encoded, <paramref name="sizes"/> bytes each) into messages of at most
    /// <paramref name="maxEvents"/> events and <paramref name="maxBytes"/> bytes as a JSON array, in an order that keeps
    /// each bucket's events in sequence.
    /// </summary>
    /// <returns>The messages, each as indexes into <paramref name="envelopes"/>, in the order to publish them.</returns>
    public static List<List<int>> Group(IReadOnlyList<EventEnvelope> envelopes, IReadOnlyList<int> sizes, int maxEvents, int maxBytes)
    {
        List<List<int>> messages = [];
        Dictionary<string, (List<int> Events, string Type, long Bytes)> open = new(StringComparer.Ordinal);
        for (int i = 0; i < envelopes.Count; i++)
        {
            EventEnvelope envelope = envelopes[i];
            string bucket = PartitionHeader(envelope, maxEvents);
            if (open.TryGetValue(bucket, out (List<int> Events, string Type, long Bytes) message)
                && (message.Type != envelope.Type || message.Events.Count == maxEvents || message.Bytes + 1 + sizes[i] > maxBytes))
            {
                // The bucket's message is full or of another type: it leaves before this event's, keeping the order.
                messages.Add(message.Events);
                open.Remove(bucket);
            }

            if (open.TryGetValue(bucket, out message))
            {
                message.Events.Add(i);
                open[bucket] = (message.Events, message.Type, message.Bytes + 1 + sizes[i]);
            }
            else
            {
                // '[' and ']' around the events, a ',' between them.
                open[bucket] = ([i], envelope.Type, 2 + sizes[i]);
            }
        }

        messages.AddRange(open.Values.Select(message => message.Events));
        return messages;
    }

    /// <summary>32-bit FNV-1a over the key's UTF-16 code units.</summary>
    private static uint Fnv1a(string key)
    {
        uint hash = 2166136261;
        foreach (char c in key)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}
