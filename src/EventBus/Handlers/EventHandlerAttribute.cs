namespace EventBus;

/// <summary>
/// Settings of a handler class that <c>AddEventHandlers()</c> registers (the registration is generated at compile time
/// for every <see cref="IEventHandler{TPayload}"/> of the assembly, and for every <see cref="IEventHandler"/> that names a
/// <see cref="Pattern"/>). A value left at its default keeps the bus's setting; code can change any of them later with
/// <see cref="EventBusBuilderExtensions.ConfigureHandler{THandler}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class EventHandlerAttribute : Attribute
{
    /// <summary>Gets or sets the subscriber id.</summary>
    /// <value>The default value is null: the handler's class name (with the payload's, for a class handling several payload types).</value>
    public string? SubscriberId { get; set; }

    /// <summary>
    /// Gets or sets the event type pattern the handler subscribes to: for a typed handler it narrows the events with its
    /// payload type further; an envelope handler (<see cref="IEventHandler"/>) is only registered with one.
    /// </summary>
    /// <value>The default value is null: every event with the handler's payload type.</value>
    public string? Pattern { get; set; }

    /// <summary>Gets or sets how many events the handler handles at once (<see cref="SubscriptionOptions.Concurrency"/>).</summary>
    /// <value>The default value is 0: the subscription's default, 1.</value>
    public int Concurrency { get; set; }

    /// <summary>Gets or sets the limit on one handling, in milliseconds (<see cref="SubscriptionOptions.HandlerTimeout"/>).</summary>
    /// <value>The default value is 0: the bus's default.</value>
    public int TimeoutMilliseconds { get; set; }

    /// <summary>Gets or sets how many times a failing event is tried in all (<see cref="RetryPolicy.MaxAttempts"/>).</summary>
    /// <value>The default value is 0: the bus's retry policy.</value>
    public int MaxAttempts { get; set; }

    /// <summary>Gets or sets the delay before the first retry, in milliseconds, growing exponentially (<see cref="RetryPolicy.Delay"/>); used with <see cref="MaxAttempts"/>.</summary>
    /// <value>The default value is 0: the retry policy's default, 200 ms.</value>
    public int RetryDelayMilliseconds { get; set; }
}
