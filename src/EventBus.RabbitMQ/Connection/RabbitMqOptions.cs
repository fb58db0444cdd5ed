namespace EventBus.RabbitMQ;

/// <summary>Where the RabbitMQ broker is, and how this application uses it.</summary>
public sealed class RabbitMqOptions
{
    /// <summary>Gets or sets the broker's host name.</summary>
    /// <value>The default value is <c>localhost</c>.</value>
    public string HostName { get; set; } = "localhost";

    /// <summary>Gets or sets the broker's AMQP port.</summary>
    /// <value>The default value is 5672.</value>
    public int Port { get; set; } = 5672;

    /// <summary>Gets or sets the virtual host.</summary>
    /// <value>The default value is <c>/</c>.</value>
    public string VirtualHost { get; set; } = "/";

    /// <summary>Gets or sets the user name.</summary>
    /// <value>The default value is <c>guest</c>, which RabbitMQ lets in from the broker's own machine only.</value>
    public string UserName { get; set; } = "guest";

    /// <summary>Gets or sets the password. It never appears in logs, exception messages or <see cref="ToString"/>.</summary>
    /// <value>The default value is <c>guest</c>.</value>
    public string Password { get; set; } = "guest";

    /// <summary>Gets or sets the topic exchange events are published to, with the event type as routing key.</summary>
    /// <value>The default value is <c>eventbus</c>.</value>
    public string Exchange { get; set; } = "eventbus";

    /// <summary>
    /// Gets or sets this application's durable queue (its consumer group): every instance of the application shares it,
    /// so each event reaches one of them. Null for an application that only publishes.
    /// </summary>
    public string? QueueName { get; set; }

    /// <summary>Gets the event types or patterns this application publishes to the broker (<c>workflow.#</c>, <c>#</c>).</summary>
    public IList<string> Publish { get; } = [];

    /// <summary>
    /// Gets the event types or patterns this application receives from the broker; they become the queue's bindings, and
    /// our patterns mean on the broker what they mean locally (<c>*</c> one segment, <c>#</c> any number).
    /// </summary>
    public IList<string> Receive { get; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether the queue is also bound with the type patterns that the application's live
    /// subscriptions imply (<see cref="EventFilter.ImpliedTypePatterns"/>; <c>#</c> for a subscription that promises
    /// nothing about the type), kept in step as subscriptions come and go. <see cref="Receive"/> stays bound either way.
    /// An application never gets the events it published itself back from its queue: its instances handled them locally.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ReceiveSubscribed { get; set; }

    /// <summary>
    /// Gets or sets the partitions of this application's queue. With 0, one queue that every instance consumes: events of
    /// one ordering key keep their order while one instance runs, not across several. With N, a consistent-hash exchange
    /// (the <c>rabbitmq_consistent_hash_exchange</c> plugin must be enabled on the broker) spreads events by ordering key
    /// over N queues <c>{QueueName}.0</c> to <c>{QueueName}.{N-1}</c>, each consumed by one instance at a time (single
    /// active consumer; the others take over when it goes): events of one key are handled in order across instances.
    /// </summary>
    /// <value>The default value is 0.</value>
    public int Partitions { get; set; }

    /// <summary>
    /// Gets or sets how many times a message may be delivered without being acknowledged before the broker gives up on it.
    /// Above 0, this application's queues are quorum queues with that <c>x-delivery-limit</c>: a message whose consumer
    /// crashed, was killed or handed it back that many times (a poison message) goes to <see cref="DeadLetterExchange"/>,
    /// with the reason <c>delivery_limit</c> in its <c>x-death</c> header, and the queue goes on. With 0, classic queues,
    /// which count no deliveries. The type of an existing queue can not change: delete it first.
    /// </summary>
    /// <value>The default value is 5.</value>
    public int DeliveryLimit { get; set; } = 5;

    /// <summary>Gets or sets how many unacknowledged messages the broker hands this application at once.</summary>
    /// <value>The default value is 100.</value>
    public ushort Prefetch { get; set; } = 100;

    /// <summary>
    /// Gets or sets the most events one AMQP message carries. With 1, every event is its own message
    /// (<c>application/cloudevents+json</c>), which any CloudEvents reader understands. Above 1, the relay packs the events
    /// that are waiting to be sent into CloudEvents batches (<c>application/cloudevents-batch+json</c>, a JSON array), one
    /// event type and one ordering-key bucket per message, up to <see cref="MaxMessageBytes"/>: the broker then routes,
    /// stores and confirms a message per batch instead of per event, which multiplies the rate it confirms events at. An
    /// event that waits alone still leaves at once, alone. Consumers of this library read both forms; each event of a
    /// batch is handled, deduplicated and, if refused, dead-lettered on its own. With partitions, events of one ordering key
    /// still go to one partition queue in order: the partition header is then one of 16 buckets of the key (a stable hash),
    /// instead of the key itself, so a partitioned consumer spreads them over at most 16 partition queues.
    /// </summary>
    /// <value>The default value is 1.</value>
    public int EventsPerMessage { get; set; } = 1;

    /// <summary>Gets or sets the largest message read; larger ones are dead-lettered unparsed.</summary>
    /// <value>The default value is 1 MiB.</value>
    public int MaxMessageBytes { get; set; } = CloudEventJsonFormat.DefaultMaxMessageBytes;

    /// <summary>
    /// Gets or sets how long an event handled from the broker is remembered, by source and id, so that a redelivery is
    /// acknowledged without being handled again.
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan InboxWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the most events the inbox remembers; past it, the oldest are forgotten first.</summary>
    /// <value>The default value is 100,000.</value>
    public int InboxCapacity { get; set; } = 100_000;

    /// <summary>Gets or sets how the relay to the broker buffers, pipelines and retries.</summary>
    public ExternalPublisherOptions Relay { get; set; } = new();

    /// <summary>Gets the exchange that refused messages go to, with the reason in their headers.</summary>
    public string DeadLetterExchange => Exchange + ".dead-letter";

    /// <summary>Gets the queue that keeps the messages this application's queue refused.</summary>
    public string? DeadLetterQueue => QueueName is null ? null : QueueName + ".dead-letter";

    /// <summary>Describes the broker without the password.</summary>
    /// <returns>For example <c>amqp://guest@localhost:5672/ exchange eventbus</c>.</returns>
    public override string ToString() => $"amqp://{UserName}@{HostName}:{Port}{(VirtualHost.StartsWith('/') ? VirtualHost : "/" + VirtualHost)} exchange {Exchange}";

    /// <summary>Throws one exception that lists every problem.</summary>
    internal void Validate()
    {
        List<string> errors = [];
        if (string.IsNullOrWhiteSpace(HostName))
        {
            errors.Add("RabbitMqOptions.HostName is empty; set the broker's host name.");
        }

        if (Port is < 1 or > 65535)
        {
            errors.Add($"RabbitMqOptions.Port is {Port}; use 1 to 65535 (RabbitMQ listens on 5672 by default).");
        }

        if (string.IsNullOrWhiteSpace(Exchange))
        {
            errors.Add("RabbitMqOptions.Exchange is empty; name the topic exchange, such as 'eventbus'.");
        }

        if ((Receive.Count > 0 || ReceiveSubscribed) && string.IsNullOrWhiteSpace(QueueName))
        {
            errors.Add("RabbitMqOptions.Receive lists patterns (or ReceiveSubscribed is set) but QueueName is empty; name this application's queue, such as 'billing'.");
        }

        if (MaxMessageBytes <= 0)
        {
            errors.Add($"RabbitMqOptions.MaxMessageBytes is {MaxMessageBytes}; it must be positive.");
        }

        if (InboxWindow < TimeSpan.Zero || InboxCapacity < 0)
        {
            errors.Add($"RabbitMqOptions.InboxWindow ({InboxWindow}) and InboxCapacity ({InboxCapacity}) must not be negative; use zero to turn the inbox off.");
        }

        if (Partitions is < 0 or > 1_000)
        {
            errors.Add($"RabbitMqOptions.Partitions is {Partitions}; use 0 (one queue) to 1,000.");
        }

        if (EventsPerMessage is < 1 or > 10_000)
        {
            errors.Add($"RabbitMqOptions.EventsPerMessage is {EventsPerMessage}; use 1 (one event per message) to 10,000.");
        }

        if (DeliveryLimit < 0)
        {
            errors.Add($"RabbitMqOptions.DeliveryLimit is {DeliveryLimit}; use 0 (classic queues, no limit) or more.");
        }

        if (Prefetch == 0)
        {
            errors.Add("RabbitMqOptions.Prefetch is 0, which RabbitMQ reads as unlimited; use 1 or more.");
        }

        foreach (string pattern in Publish.Concat(Receive))
        {
            try
            {
                _ = EventFilter.Pattern(pattern);
            }
            catch (ArgumentException exception)
            {
                errors.Add($"RabbitMqOptions pattern '{pattern}' is not a type pattern: {exception.Message}");
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }
    }
}
