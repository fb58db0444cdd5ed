using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace EventBus;

/// <summary>The JSON contracts payloads are written and read with, by the stores and the transports.</summary>
public sealed partial class EventCatalog
{
    private readonly Lock _jsonLock = new();
    private IJsonTypeInfoResolver[] _resolvers = [];
    private JsonSerializerOptions? _jsonOptions;

    /// <summary>
    /// Gets the JSON options payloads are written and read with (the web defaults: camel case, case-insensitive reading).
    /// A payload type's contract comes from the resolvers added with <see cref="AddJsonTypeInfoResolver"/>, in the order
    /// added, and then, unless reflection-based serialization is disabled (as it is under Native AOT and trimming), from
    /// reflection. A type's contract is fixed the first time it is used.
    /// </summary>
    public JsonSerializerOptions JsonOptions
    {
        get
        {
            if (Volatile.Read(ref _jsonOptions) is { } options)
            {
                return options;
            }

            lock (_jsonLock)
            {
                return _jsonOptions ??= CreateJsonOptions();
            }
        }
    }

    /// <summary>
    /// Gets the resolver behind <see cref="JsonOptions"/>: the added resolvers, then reflection when it is enabled. A store
    /// or transport given JSON options of its own without a resolver uses this one with them.
    /// </summary>
    public IJsonTypeInfoResolver JsonTypeInfoResolver => JsonOptions.TypeInfoResolver!;

    /// <summary>
    /// Adds a source of JSON contracts for payload types, such as a source-generated <see cref="JsonSerializerContext"/>
    /// (<c>AppJsonContext.Default</c>) that lists them with <see cref="JsonSerializableAttribute"/>. Under Native AOT this is
    /// the only source: every payload type that is stored or sent needs one. Add it before the type is first written.
    /// </summary>
    /// <param name="resolver">The resolver, usually a <see cref="JsonSerializerContext"/>.</param>
    /// <returns>This catalogue.</returns>
    public EventCatalog AddJsonTypeInfoResolver(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        lock (_jsonLock)
        {
            if (Array.IndexOf(_resolvers, resolver) < 0)
            {
                Volatile.Write(ref _resolvers, [.. _resolvers, resolver]);
            }
        }

        return this;
    }

    /// <summary>
    /// Gets the JSON contract of payload type <paramref name="payloadType"/> under <paramref name="options"/>, or under
    /// <see cref="JsonOptions"/> when none are given.
    /// </summary>
    /// <param name="payloadType">The payload type.</param>
    /// <param name="options">Options of a store or transport's own, or null for <see cref="JsonOptions"/>.</param>
    /// <returns>The contract.</returns>
    /// <exception cref="NotSupportedException">No resolver knows the type and reflection is disabled; the message says how to add it.</exception>
    public JsonTypeInfo GetJsonTypeInfo(Type payloadType, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        if ((options ?? JsonOptions).TryGetTypeInfo(payloadType, out JsonTypeInfo? info))
        {
            return info;
        }

        throw new NotSupportedException(
            $"Payload type '{payloadType.FullName}' has no JSON contract, and reflection-based serialization is disabled (as under Native AOT). " +
            $"List it in a source-generated context ([JsonSerializable(typeof({payloadType.Name}))] on a JsonSerializerContext) and add that context: AddEventTypes(c => c.AddJsonTypeInfoResolver(AppJsonContext.Default)).");
    }

    /// <summary>
    /// Gets JSON options for a store or transport: <paramref name="configured"/> when they bring their own resolver, a copy
    /// of them resolving through this catalogue when they do not, or <see cref="JsonOptions"/> when none were configured.
    /// </summary>
    /// <param name="configured">The options the store or transport was given, or null.</param>
    /// <returns>Options that can resolve every contract this catalogue can.</returns>
    public JsonSerializerOptions JsonOptionsFor(JsonSerializerOptions? configured) =>
        configured is null ? JsonOptions
        : configured.TypeInfoResolver is not null ? configured
        : new JsonSerializerOptions(configured) { TypeInfoResolver = JsonTypeInfoResolver };

    private JsonSerializerOptions CreateJsonOptions()
    {
        JsonSerializerOptions options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new CatalogResolver(this) };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Asks the added resolvers in order, at each call, so one added after the options were made still counts.</summary>
    private sealed class CatalogResolver(EventCatalog catalog) : IJsonTypeInfoResolver
    {
        private IJsonTypeInfoResolver? _reflection;

        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
        {
            foreach (IJsonTypeInfoResolver resolver in Volatile.Read(ref catalog._resolvers))
            {
                if (resolver.GetTypeInfo(type, options) is { } info)
                {
                    return info;
                }
            }

            return JsonSerializer.IsReflectionEnabledByDefault ? (_reflection ??= ReflectionResolver()).GetTypeInfo(type, options) : null;
        }

        // Reached only when reflection-based serialization is enabled, which trimmed and Native AOT applications turn off.
        [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, false when trimming.")]
        [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, false under Native AOT.")]
        private static DefaultJsonTypeInfoResolver ReflectionResolver() => new();
    }
}
