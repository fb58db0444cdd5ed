using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventBus;

/// <summary>Registers handler types resolved from dependency injection, in a fresh scope for every event.</summary>
public static class EventBusBuilderExtensions
{
    /// <summary>Registers <typeparamref name="THandler"/> (as scoped, unless already registered) for the events that pass <paramref name="filter"/>.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="builder">The bus builder.</param>
    /// <param name="filter">Selects the events.</param>
    /// <param name="options">Per-subscription settings; the subscriber id defaults to the handler's type name.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddEventHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IEventBusBuilder builder,
        EventFilter filter,
        SubscriptionOptions? options = null)
        where THandler : class, IEventHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(filter);
        return builder.AddScopedHandler<THandler>(filter, options, static (services, envelope, cancellationToken) =>
            services.GetRequiredService<THandler>().HandleAsync(envelope, cancellationToken));
    }

    /// <summary>Registers <typeparamref name="THandler"/> for the events whose type matches <paramref name="typePattern"/>.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="builder">The bus builder.</param>
    /// <param name="typePattern">An exact type, <c>prefix.*</c>, <c>prefix.#</c> or <c>*</c>.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddEventHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IEventBusBuilder builder,
        string typePattern)
        where THandler : class, IEventHandler =>
        builder.AddEventHandler<THandler>(EventFilter.Pattern(typePattern), options: null);

    /// <summary>
    /// Registers <typeparamref name="THandler"/> for the events whose payload is a <typeparamref name="TPayload"/> (a
    /// derived type or an implementation included), whatever their event type name, and that pass
    /// <paramref name="filter"/>. A payload type that carries <see cref="EventTypeAttribute"/> is registered in the
    /// <see cref="EventCatalog"/> (<see cref="EventCatalog.Register{TPayload}"/>), so that two types claiming one name
    /// fail at start.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <param name="builder">The bus builder.</param>
    /// <param name="filter">Further selects the events, or null for all events with such a payload.</param>
    /// <param name="options">Per-subscription settings, or null.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddPayloadHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler, TPayload>(
        this IEventBusBuilder builder,
        EventFilter? filter = null,
        SubscriptionOptions? options = null)
        where THandler : class, IEventHandler<TPayload>
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Attribute.IsDefined(typeof(TPayload), typeof(EventTypeAttribute), inherit: false))
        {
            // Described now, so that an invalid attribute fails at registration rather than when the catalogue is built.
            _ = EventTypeDescriptor.For<TPayload>();
            builder.Services.AddSingleton(new CatalogRegistration(static catalog => catalog.Register<TPayload>()));
        }

        EventFilter selection = filter is null ? EventFilter.Payload<TPayload>() : filter.And(EventFilter.Payload<TPayload>());
        return builder.AddScopedHandler<THandler>(selection, options, static (services, envelope, cancellationToken) =>
            services.GetRequiredService<THandler>().HandleAsync(envelope, (TPayload)envelope.Data!, cancellationToken));
    }

    /// <summary>
    /// Registers a delegate for the events whose payload is a <typeparamref name="TPayload"/> (as
    /// <see cref="AddPayloadHandler{THandler, TPayload}"/> does for a class): the minimal form, for a handler that needs no
    /// class of its own. It runs in a DI scope per event with the middleware around it; the context gives the event, the
    /// scope's services and a publisher whose objects are effects of the handled event.
    /// </summary>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <param name="builder">The bus builder.</param>
    /// <param name="subscriberId">The subscription's name, for logs, metrics and dead letters.</param>
    /// <param name="handle">Handles one event.</param>
    /// <param name="filter">Further selects the events, or null for all events with such a payload.</param>
    /// <param name="options">Per-subscription settings, or null; its subscriber id, when set, must be <paramref name="subscriberId"/>.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder AddHandler<TPayload>(
        this IEventBusBuilder builder,
        string subscriberId,
        Func<TPayload, IHandlerContext, CancellationToken, ValueTask> handle,
        EventFilter? filter = null,
        SubscriptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriberId);
        ArgumentNullException.ThrowIfNull(handle);
        if (options?.SubscriberId is { } other && !string.Equals(other, subscriberId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The options name subscriber '{other}' and the registration '{subscriberId}'; set one of them.", nameof(options));
        }

        SubscriptionOptions registered = options?.Clone() ?? new SubscriptionOptions();
        registered.SubscriberId = subscriberId;
        registered.Validate(nameof(options));
        EventFilter selection = filter is null ? EventFilter.Payload<TPayload>() : filter.And(EventFilter.Payload<TPayload>());
        builder.Services.AddSingleton(new HandlerRegistration((provider, bus) =>
        {
            ScopedHandlerInvoker invoker = new(provider, (services, envelope, cancellationToken) =>
                handle((TPayload)envelope.Data!, services.GetRequiredService<HandlerContext>(), cancellationToken));
            return invoker.Subscribe(bus, selection, registered);
        }));
        return builder;
    }

    /// <summary>
    /// Changes the subscription settings of <typeparamref name="THandler"/>, however it was registered (by
    /// <c>AddEventHandlers()</c>, which starts from its <see cref="EventHandlerAttribute"/>, or by code). Applied in
    /// order when the bus subscribes the handler, so it may come before or after the registration.
    /// </summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <param name="builder">The bus builder.</param>
    /// <param name="configure">Changes the settings.</param>
    /// <returns>The builder.</returns>
    public static IEventBusBuilder ConfigureHandler<THandler>(this IEventBusBuilder builder, Action<SubscriptionOptions> configure)
        where THandler : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new HandlerConfiguration(typeof(THandler), configure));
        return builder;
    }

    private static IEventBusBuilder AddScopedHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        this IEventBusBuilder builder,
        EventFilter filter,
        SubscriptionOptions? options,
        Func<IServiceProvider, EventEnvelope, CancellationToken, ValueTask> handle)
        where THandler : class
    {
        SubscriptionOptions registered = WithSubscriberId(options, typeof(THandler).Name);
        HandlerKey key = new(typeof(THandler), registered.SubscriberId!, filter.Description);
        foreach (ServiceDescriptor service in builder.Services)
        {
            if (service.ImplementationInstance is HandlerRegistration { Key: { } other } && other == key)
            {
                // The same class, id and events twice would handle every event twice: never what was meant.
                throw new InvalidOperationException(
                    $"Handler '{typeof(THandler).FullName}' is registered twice for the same events (subscriber '{key.SubscriberId}', {key.Filter}). AddEventHandlers() registers every handler class of its assembly: remove the registration by code, change the settings with ConfigureHandler<{typeof(THandler).Name}>, or give the second one another SubscriberId.");
            }
        }

        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton(new HandlerRegistration(
            (provider, bus) =>
            {
                SubscriptionOptions effective = Configured<THandler>(provider, registered);
                return new ScopedHandlerInvoker(provider, handle).Subscribe(bus, filter, effective);
            },
            key));
        return builder;
    }

    /// <summary>The registered settings with every <see cref="ConfigureHandler{THandler}"/> of the handler applied, on a copy.</summary>
    internal static SubscriptionOptions Configured<THandler>(IServiceProvider provider, SubscriptionOptions registered)
    {
        SubscriptionOptions? configured = null;
        foreach (HandlerConfiguration configuration in provider.GetServices<HandlerConfiguration>())
        {
            if (configuration.HandlerType == typeof(THandler))
            {
                configuration.Configure(configured ??= registered.Clone());
            }
        }

        if (configured is null)
        {
            return registered;
        }

        configured.SubscriberId ??= registered.SubscriberId;
        configured.Validate($"ConfigureHandler<{typeof(THandler).Name}>");
        return configured;
    }

    /// <summary>Copies every option (so none can be dropped) and fills in the subscriber id when the caller set none.</summary>
    private static SubscriptionOptions WithSubscriberId(SubscriptionOptions? options, string defaultId)
    {
        SubscriptionOptions effective = options?.Clone() ?? new SubscriptionOptions();
        effective.SubscriberId ??= defaultId;
        effective.Validate(nameof(options));
        return effective;
    }
}
