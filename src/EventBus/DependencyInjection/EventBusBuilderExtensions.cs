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
        SubscriptionOptions effective = WithSubscriberId(options, typeof(THandler).Name);
        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton(new HandlerRegistration((provider, bus) =>
        {
            IServiceScopeFactory scopes = provider.GetRequiredService<IServiceScopeFactory>();
            return bus.Subscribe(filter, (envelope, cancellationToken) => HandleInScopeAsync<THandler>(scopes, envelope, cancellationToken), effective);
        }));
        return builder;
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

    /// <summary>Registers <typeparamref name="THandler"/> for the events whose payload is a <typeparamref name="TPayload"/> and that pass <paramref name="filter"/>.</summary>
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
        SubscriptionOptions effective = WithSubscriberId(options, typeof(THandler).Name);
        EventFilter selection = (filter ?? EventFilter.All).And(EventFilter.Payload<TPayload>());
        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton(new HandlerRegistration((provider, bus) =>
        {
            IServiceScopeFactory scopes = provider.GetRequiredService<IServiceScopeFactory>();
            return bus.Subscribe(selection, (envelope, cancellationToken) => HandlePayloadInScopeAsync<THandler, TPayload>(scopes, envelope, cancellationToken), effective);
        }));
        return builder;
    }

    /// <summary>Copies every option (so none can be dropped) and fills in the subscriber id when the caller set none.</summary>
    private static SubscriptionOptions WithSubscriberId(SubscriptionOptions? options, string defaultId)
    {
        SubscriptionOptions effective = options?.Clone() ?? new SubscriptionOptions();
        effective.SubscriberId ??= defaultId;
        effective.Validate(nameof(options));
        return effective;
    }

    private static async ValueTask HandleInScopeAsync<THandler>(IServiceScopeFactory scopes, EventEnvelope envelope, CancellationToken cancellationToken)
        where THandler : class, IEventHandler
    {
        AsyncServiceScope scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask HandlePayloadInScopeAsync<THandler, TPayload>(IServiceScopeFactory scopes, EventEnvelope envelope, CancellationToken cancellationToken)
        where THandler : class, IEventHandler<TPayload>
    {
        AsyncServiceScope scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(envelope, (TPayload)envelope.Data!, cancellationToken).ConfigureAwait(false);
        }
    }
}
