using System.Collections.Concurrent;

namespace EventBus;

/// <summary>
/// The event type of each payload type published as an object, worked out once per type
/// (<see cref="EventTypeDescriptor.For(Type)"/> reads the attribute or applies the convention).
/// </summary>
internal static class PayloadTypes
{
    private static readonly ConcurrentDictionary<Type, EventTypeDescriptor> Described = new();

    /// <summary>The descriptor of <paramref name="payload"/>'s runtime type: an object published as its base type or interface is named for what it is.</summary>
    public static EventTypeDescriptor Of(object payload)
    {
        Type type = payload.GetType();
        return Described.TryGetValue(type, out EventTypeDescriptor? known) ? known : Described.GetOrAdd(type, EventTypeDescriptor.For(type));
    }
}
