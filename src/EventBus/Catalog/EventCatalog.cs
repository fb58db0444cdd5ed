using System.Collections.Concurrent;

namespace EventBus;

/// <summary>
/// The registry of known event types: each with a description, a category, an optional
/// payload type and an optional payload schema. It documents the events an application publishes and, with
/// <see cref="EventBusOptions.StrictCatalog"/>, makes the bus refuse events it does not describe.
/// The standard workflow, phase, resource and error events (<see cref="StandardEventTypes"/>) are registered out of the box.
/// </summary>
/// <remarks>Thread-safe: types can be registered while events flow.</remarks>
public sealed partial class EventCatalog
{
    private readonly ConcurrentDictionary<string, EventTypeDescriptor> _types = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>Initializes a new instance of the <see cref="EventCatalog"/> class.</summary>
    /// <param name="includeStandardEvents">Whether to register the standard events of <see cref="StandardEventTypes"/>.</param>
    public EventCatalog(bool includeStandardEvents = true)
    {
        if (includeStandardEvents)
        {
            foreach (EventTypeDescriptor descriptor in StandardEventTypes.Descriptors())
            {
                _types[descriptor.Type] = descriptor;
            }
        }
    }

    /// <summary>Gets the number of registered types.</summary>
    public int Count => _types.Count;

    /// <summary>
    /// Gets a number that changes each time a registration is added or replaced: a reader that derives something from
    /// <see cref="Types"/> (a store's map of payload type names) reads it first, and derives again once it differs.
    /// Reading it costs no lock, unlike <see cref="Count"/>.
    /// </summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Gets every registered type, ordered by category, then by type name.</summary>
    public IReadOnlyList<EventTypeDescriptor> Types =>
        [.. _types.Values.OrderBy(d => d.Category, StringComparer.Ordinal).ThenBy(d => d.Type, StringComparer.Ordinal)];

    /// <summary>
    /// Registers the event type of a payload type (<see cref="EventTypeDescriptor.For{TPayload}"/>: its
    /// <see cref="EventTypeAttribute"/>, or the naming convention). Registering the same payload type again changes
    /// nothing, so every handler of a type can register it.
    /// </summary>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <returns>This catalogue.</returns>
    /// <exception cref="InvalidOperationException">Another payload type, or a type without one, has the same event type name.</exception>
    public EventCatalog Register<TPayload>() => Register(typeof(TPayload));

    /// <summary>Registers the event type of <paramref name="payloadType"/>; see <see cref="Register{TPayload}"/>.</summary>
    /// <param name="payloadType">The payload type.</param>
    /// <returns>This catalogue.</returns>
    /// <exception cref="InvalidOperationException">Another payload type, or a type without one, has the same event type name.</exception>
    public EventCatalog Register(Type payloadType) => Register(payloadType, kind: null);

    /// <summary>Registers the event type of <paramref name="payloadType"/>, of <paramref name="kind"/> when given (a typed query's).</summary>
    internal EventCatalog Register(Type payloadType, EventKind? kind)
    {
        EventTypeDescriptor described = EventTypeDescriptor.For(payloadType);
        EventTypeDescriptor descriptor = kind is { } forced && forced != described.Kind
            ? new EventTypeDescriptor(described.Type, described.Description, described.Category, payloadType) { Kind = forced, Priority = described.Priority, SchemaVersion = described.SchemaVersion }
            : described;
        EventTypeDescriptor registered = _types.GetOrAdd(descriptor.Type, descriptor);
        if (ReferenceEquals(registered, descriptor))
        {
            Changed();
        }

        if (registered.PayloadType != payloadType)
        {
            string other = registered.PayloadType is { } otherType ? $"payload type '{otherType.FullName}'" : $"'{registered.Description}', without a payload type";
            throw new InvalidOperationException(
                $"Event type '{descriptor.Type}' of payload type '{payloadType.FullName}' is registered already for {other}. Name one of them otherwise with [EventType(\"...\")].");
        }

        if (kind is not null && registered.Kind != kind)
        {
            // Registered first as a plain payload type (its assembly's [EventType] types), then by its query handler.
            _types[descriptor.Type] = descriptor;
            Changed();
        }

        return this;
    }

    /// <summary>Registers an event type.</summary>
    /// <param name="descriptor">The type's description.</param>
    /// <returns>This catalogue.</returns>
    /// <exception cref="InvalidOperationException">The type is registered already.</exception>
    public EventCatalog Register(EventTypeDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!_types.TryAdd(descriptor.Type, descriptor))
        {
            throw new InvalidOperationException(
                $"Event type '{descriptor.Type}' is registered already ({_types[descriptor.Type].Description}). Use RegisterOrReplace to overwrite it.");
        }

        Changed();
        return this;
    }

    /// <summary>Registers an event type, replacing any registration of the same type (for example to give a standard event a payload schema).</summary>
    /// <param name="descriptor">The type's description.</param>
    /// <returns>This catalogue.</returns>
    public EventCatalog RegisterOrReplace(EventTypeDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        _types[descriptor.Type] = descriptor;
        Changed();
        return this;
    }

    /// <summary>Registers an event type by its parts.</summary>
    /// <param name="type">The concrete dotted type name.</param>
    /// <param name="description">What the event means.</param>
    /// <param name="category">The group the type belongs to.</param>
    /// <param name="payloadType">The .NET type the payload must be an instance of, or null.</param>
    /// <param name="schema">The fields the payload must carry, or null.</param>
    /// <returns>This catalogue.</returns>
    public EventCatalog Register(string type, string description, string category, Type? payloadType = null, PayloadSchema? schema = null) =>
        Register(new EventTypeDescriptor(type, description, category, payloadType, schema));

    /// <summary>
    /// Registers the operation lifecycle types of a node:
    /// <c>{node}.{operation}.started/completed/failed</c> for each operation, and optionally
    /// <c>{node}.state.changed</c> and <c>{node}.metric.recorded</c>. Types registered already are kept.
    /// </summary>
    /// <param name="nodeType">The node type, such as <c>orchestrator</c>.</param>
    /// <param name="operations">The operation names, such as <c>routing</c>.</param>
    /// <param name="includeStateEvents">Whether to register <c>{node}.state.changed</c>.</param>
    /// <param name="includeMetricEvents">Whether to register <c>{node}.metric.recorded</c>.</param>
    /// <returns>The descriptors of the node's types, in registration order.</returns>
    public IReadOnlyList<EventTypeDescriptor> RegisterOperations(string nodeType, IEnumerable<string> operations, bool includeStateEvents = true, bool includeMetricEvents = true)
    {
        ArgumentNullException.ThrowIfNull(operations);
        List<EventTypeDescriptor> added = [];
        foreach (string operation in operations)
        {
            string prefix = OperationEventTypes.Prefix(nodeType, operation);
            added.Add(Add(new(prefix + OperationEventTypes.StartedSuffix, $"{nodeType} began {operation}", OperationEventTypes.LifecycleCategory, typeof(OperationStarted))));
            added.Add(Add(new(prefix + OperationEventTypes.CompletedSuffix, $"{nodeType} completed {operation}", OperationEventTypes.LifecycleCategory, typeof(OperationCompleted))));
            added.Add(Add(new(prefix + OperationEventTypes.FailedSuffix, $"{nodeType} failed {operation}", OperationEventTypes.LifecycleCategory, typeof(OperationFailed))));
        }

        if (includeStateEvents)
        {
            added.Add(Add(new(OperationEventTypes.StateChanged(nodeType), $"{nodeType} changed state", OperationEventTypes.StateCategory, typeof(StateChanged))));
        }

        if (includeMetricEvents)
        {
            added.Add(Add(new(OperationEventTypes.MetricRecorded(nodeType), $"{nodeType} recorded a metric", OperationEventTypes.MetricCategory, typeof(MetricRecorded))));
        }

        return added;
    }

    /// <summary>Gets the registration of a type.</summary>
    /// <param name="type">The type name.</param>
    /// <param name="descriptor">The registration, when found.</param>
    /// <returns><see langword="true"/> when the type is registered.</returns>
    public bool TryGet(string type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EventTypeDescriptor? descriptor)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _types.TryGetValue(type, out descriptor);
    }

    /// <summary>Tells whether a type is registered.</summary>
    /// <param name="type">The type name.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public bool Contains(string type) => TryGet(type, out _);

    /// <summary>Gets the registered types of one category, ordered by name.</summary>
    /// <param name="category">The category.</param>
    /// <returns>The types.</returns>
    public IReadOnlyList<EventTypeDescriptor> InCategory(string category) =>
        [.. Types.Where(d => string.Equals(d.Category, category, StringComparison.Ordinal))];

    /// <summary>
    /// Checks an event against its registration: the type must be registered, the payload must be an instance
    /// of the registered payload type, and it must carry the schema's required fields with the right types.
    /// </summary>
    /// <param name="envelope">The event.</param>
    /// <exception cref="EventSchemaException">The event does not fit; the message names the type and the field.</exception>
    public void Validate(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (!_types.TryGetValue(envelope.Type, out EventTypeDescriptor? descriptor))
        {
            throw new EventSchemaException(
                $"Event type '{envelope.Type}' is not registered in the event catalogue, and the bus is in strict catalogue mode. Register it with EventCatalog.Register, or turn off EventBusOptions.StrictCatalog.",
                envelope.Type,
                field: null);
        }

        if (descriptor.PayloadType is { } payloadType && !payloadType.IsInstanceOfType(envelope.Data))
        {
            throw new EventSchemaException(
                $"Event '{envelope.Type}' carries {(envelope.Data is null ? "no payload" : $"a payload of type '{envelope.Data.GetType().FullName}'")}; the catalogue registers '{payloadType.FullName}' for it. Publish a {payloadType.Name}, or re-register the type.",
                envelope.Type,
                field: null);
        }

        if (descriptor.Schema?.FindProblem(envelope.Data, out string? field) is { } problem)
        {
            throw new EventSchemaException(
                $"The payload of event '{envelope.Type}' {problem}, as the catalogue's schema requires. Add the field to the payload, or change the registered schema.",
                envelope.Type,
                field);
        }
    }

    private EventTypeDescriptor Add(EventTypeDescriptor descriptor)
    {
        EventTypeDescriptor registered = _types.GetOrAdd(descriptor.Type, descriptor);
        if (ReferenceEquals(registered, descriptor))
        {
            Changed();
        }

        return registered;
    }

    /// <summary>Moves <see cref="Version"/> on, after the change is visible in the registry.</summary>
    private void Changed() => Interlocked.Increment(ref _version);
}
