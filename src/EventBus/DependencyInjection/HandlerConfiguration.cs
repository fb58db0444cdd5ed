namespace EventBus;

/// <summary>One <see cref="EventBusBuilderExtensions.ConfigureHandler{THandler}"/> call: the handler type and how its settings change.</summary>
internal sealed record HandlerConfiguration(Type HandlerType, Action<SubscriptionOptions> Configure);
