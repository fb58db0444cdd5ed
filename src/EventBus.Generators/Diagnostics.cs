using Microsoft.CodeAnalysis;

namespace EventBus.Generators;

/// <summary>The mistakes the generator reports, each with what to do. Ids are listed in AnalyzerReleases.*.md.</summary>
internal static class Diagnostics
{
    private const string Category = "EventBus";

    public static readonly DiagnosticDescriptor HandlerNotAccessible = new(
        "EB0001",
        "Event handler or payload type is not accessible",
        "'{0}' is {1}, so AddEventHandlers() can not register event handler '{2}'; make it public or internal (and every class it is nested in)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OpenGenericHandler = new(
        "EB0002",
        "Event handler is an open generic type",
        "Event handler '{0}' is generic, so AddEventHandlers() can not choose its type arguments; derive a closed handler from it, or register it by code with AddPayloadHandler",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateSubscriberId = new(
        "EB0003",
        "Two event handlers have the same subscriber id",
        "Event handlers '{0}' and '{1}' both have the subscriber id '{2}'; give one of them another with [EventHandler(SubscriberId = \"...\")]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor EnvelopeHandlerWithoutPattern = new(
        "EB0004",
        "Envelope handler names no pattern",
        "Event handler '{0}' handles envelopes of any type, so AddEventHandlers() registers it only with a pattern: add [EventHandler(Pattern = \"...\")], or register it by code with AddEventHandler",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidSetting = new(
        "EB0005",
        "Event handler setting is invalid",
        "Event handler '{0}' sets {1} to {2}; {3}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
