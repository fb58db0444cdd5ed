using System.Collections.ObjectModel;

namespace EventBus;

/// <summary>
/// Ambient metadata: values set in a scope are copied into the metadata of every
/// event published within it, on this async flow, unless the event sets the key itself. The current trace id and
/// W3C trace context are copied too, from <see cref="System.Diagnostics.Activity.Current"/>.
/// </summary>
/// <example>
/// <code>
/// using (EventContext.Begin(userId: user.Id, requestId: HttpContext.TraceIdentifier))
/// {
///     await publisher.PublishAsync(evt); // metadata gains user_id and request_id
/// }
/// </code>
/// </example>
public static class EventContext
{
    /// <summary>The metadata key of the user id.</summary>
    public const string UserIdKey = "user_id";

    /// <summary>The metadata key of the request id.</summary>
    public const string RequestIdKey = "request_id";

    /// <summary>The metadata key of the trace id copied from the current activity.</summary>
    public const string TraceIdKey = BusTracing.TraceIdKey;

    private static readonly AsyncLocal<ReadOnlyDictionary<string, string>?> Current = new();

    /// <summary>Gets the values of the current scope, or null outside any scope.</summary>
    public static IReadOnlyDictionary<string, string>? CurrentValues => Current.Value;

    /// <summary>Begins a scope with a user id and a request id; nested scopes add to (and may override) the outer ones.</summary>
    /// <param name="userId">The user id, or null.</param>
    /// <param name="requestId">The request id, or null.</param>
    /// <returns>Ends the scope when disposed.</returns>
    public static IDisposable Begin(string? userId = null, string? requestId = null)
    {
        Dictionary<string, string> values = new(StringComparer.Ordinal);
        if (userId is not null)
        {
            values[UserIdKey] = userId;
        }

        if (requestId is not null)
        {
            values[RequestIdKey] = requestId;
        }

        return Begin(values);
    }

    /// <summary>Begins a scope with any values; nested scopes add to (and may override) the outer ones.</summary>
    /// <param name="values">The metadata entries.</param>
    /// <returns>Ends the scope when disposed.</returns>
    public static IDisposable Begin(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ReadOnlyDictionary<string, string>? outer = Current.Value;
        Dictionary<string, string> merged = outer is null ? new(StringComparer.Ordinal) : new(outer, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> entry in values)
        {
            ArgumentException.ThrowIfNullOrEmpty(entry.Key, nameof(values));
            ArgumentNullException.ThrowIfNull(entry.Value, nameof(values));
            merged[entry.Key] = entry.Value;
        }

        Current.Value = merged.AsReadOnly();
        return new Scope(outer);
    }

    private sealed class Scope(ReadOnlyDictionary<string, string>? outer) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Current.Value = outer;
            }
        }
    }
}
