namespace EventBus.Generators;

/// <summary>A handler class as the generator registers it: values only, equal when the source is, so unchanged handlers are not re-emitted.</summary>
/// <param name="TypeName">The fully qualified name, with <c>global::</c>.</param>
/// <param name="DisplayName">The name in messages.</param>
/// <param name="Registrations">One per payload type it handles, and one for envelopes when it names a pattern.</param>
/// <param name="Settings">What its <c>[EventHandler]</c> sets.</param>
/// <param name="Spot">Where it is declared.</param>
/// <param name="Problems">What stops it from being registered, or warns about it.</param>
/// <param name="EventTypes">Its payload types declared in this compilation (concrete and not generic), for the catalogue.</param>
internal sealed record HandlerModel(
    string TypeName,
    string DisplayName,
    EquatableArray<Registration> Registrations,
    HandlerSettings Settings,
    SourceSpot Spot,
    EquatableArray<DiagnosticInfo> Problems,
    EquatableArray<string> EventTypes);

/// <summary>One subscription of a handler.</summary>
/// <param name="PayloadType">The payload's (or query's) fully qualified name, or null for an envelope handler.</param>
/// <param name="SubscriberId">The subscriber id.</param>
/// <param name="ResponseType">The answer's fully qualified name for a query handler, else null.</param>
internal sealed record Registration(string? PayloadType, string SubscriberId, string? ResponseType = null);

/// <summary>The named arguments of <c>[EventHandler]</c>; 0 and null leave the bus's setting.</summary>
internal sealed record HandlerSettings(string? SubscriberId, string? Pattern, int Concurrency, int TimeoutMilliseconds, int MaxAttempts, int RetryDelayMilliseconds);
