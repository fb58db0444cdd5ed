using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EventBus.Generators;

/// <summary>Turns a class into a <see cref="HandlerModel"/>: the handler interfaces it implements, its settings and its mistakes.</summary>
internal static class HandlerDiscovery
{
    public const string TypedHandlerName = "EventBus.IEventHandler`1";
    public const string EnvelopeHandlerName = "EventBus.IEventHandler";
    public const string QueryHandlerName = "EventBus.IQueryHandler`2";
    public const string SettingsAttributeName = "EventBus.EventHandlerAttribute";
    public const string EventTypeAttributeName = "EventBus.EventTypeAttribute";

    private static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier)
        .WithGenericsOptions(SymbolDisplayGenericsOptions.IncludeTypeParameters);

    /// <summary>The handler a class declares, or null when it is not a concrete handler class.</summary>
    public static HandlerModel? Discover(INamedTypeSymbol type, Compilation compilation)
    {
        if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic)
        {
            return null;
        }

        INamedTypeSymbol? typed = compilation.GetTypeByMetadataName(TypedHandlerName);
        INamedTypeSymbol? envelope = compilation.GetTypeByMetadataName(EnvelopeHandlerName);
        if (typed is null)
        {
            return null;
        }

        List<ITypeSymbol> payloads = [.. type.AllInterfaces
            .Where(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, typed))
            .Select(i => i.TypeArguments[0].WithNullableAnnotation(NullableAnnotation.NotAnnotated))];
        bool handlesEnvelopes = envelope is not null && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, envelope));
        INamedTypeSymbol? queryHandler = compilation.GetTypeByMetadataName(QueryHandlerName);
        List<(ITypeSymbol Query, ITypeSymbol Response)> queries = [.. type.AllInterfaces
            .Where(i => queryHandler is not null && SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, queryHandler))
            .Select(i => (i.TypeArguments[0].WithNullableAnnotation(NullableAnnotation.NotAnnotated), i.TypeArguments[1]))];
        if (payloads.Count == 0 && queries.Count == 0 && !handlesEnvelopes)
        {
            return null;
        }

        string display = type.ToDisplayString();
        SourceSpot spot = SourceSpot.Of(type);
        HandlerSettings settings = ReadSettings(type);
        List<DiagnosticInfo> problems = [];
        if (type.IsGenericType || ContainingTypes(type).Any(t => t.IsGenericType))
        {
            problems.Add(DiagnosticInfo.Create(Diagnostics.OpenGenericHandler, spot, display));
        }
        else
        {
            foreach (ITypeSymbol reached in payloads.Concat(queries.SelectMany(q => new[] { q.Query, q.Response })).Prepend(type))
            {
                if (Inaccessible(reached) is { } accessibility)
                {
                    problems.Add(DiagnosticInfo.Create(Diagnostics.HandlerNotAccessible, spot, reached.ToDisplayString(), accessibility, display));
                }
            }
        }

        problems.AddRange(SettingProblems(settings, display, spot));
        bool envelopeRegistered = handlesEnvelopes && settings.Pattern is not null;
        if (handlesEnvelopes && !envelopeRegistered)
        {
            problems.Add(DiagnosticInfo.Create(Diagnostics.EnvelopeHandlerWithoutPattern, spot, display));
        }

        List<(string? Payload, string Name, string? Response)> subscriptions = [.. payloads.Select(p => ((string?)p.ToDisplayString(Qualified), p.Name, (string?)null))];
        subscriptions.AddRange(queries.Select(q => ((string?)q.Query.ToDisplayString(Qualified), q.Query.Name, (string?)q.Response.ToDisplayString(Qualified))));
        if (envelopeRegistered)
        {
            subscriptions.Add((null, "Envelope", null));
        }

        string baseId = settings.SubscriberId ?? type.Name;
        ImmutableArray<Registration> registrations = [.. subscriptions.Select(s => new Registration(s.Payload, subscriptions.Count == 1 ? baseId : $"{baseId}.{s.Name}", s.Response))];
        ImmutableArray<string> eventTypes = [.. payloads.OfType<INamedTypeSymbol>().Where(p => p.Locations.Any(l => l.IsInSource)).Select(EventTypeName).OfType<string>()];
        return new HandlerModel(type.ToDisplayString(Qualified), display, new(registrations), settings, spot, new([.. problems]), new(eventTypes));
    }

    /// <summary>
    /// The name to register <paramref name="type"/> in the catalogue by (<c>EventCatalog.Register&lt;T&gt;()</c>), or null
    /// when it is not a type events are published as: an interface, abstract, generic, or out of reach of the generated code.
    /// </summary>
    public static string? EventTypeName(INamedTypeSymbol type) =>
        type.TypeKind is TypeKind.Class or TypeKind.Struct && !type.IsAbstract && !type.IsStatic && !type.IsGenericType
            && !ContainingTypes(type).Any(t => t.IsGenericType) && Inaccessible(type) is null
            ? type.ToDisplayString(Qualified)
            : null;

    private static HandlerSettings ReadSettings(INamedTypeSymbol type)
    {
        AttributeData? attribute = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SettingsAttributeName);
        string? id = null;
        string? pattern = null;
        int concurrency = 0, timeout = 0, attempts = 0, delay = 0;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute?.NamedArguments ?? [])
        {
            object? value = argument.Value.Value;
            switch (argument.Key)
            {
                case "SubscriberId": id = value as string; break;
                case "Pattern": pattern = value as string; break;
                case "Concurrency": concurrency = value is int c ? c : 0; break;
                case "TimeoutMilliseconds": timeout = value is int t ? t : 0; break;
                case "MaxAttempts": attempts = value is int a ? a : 0; break;
                case "RetryDelayMilliseconds": delay = value is int d ? d : 0; break;
                default: break;
            }
        }

        return new HandlerSettings(id, pattern, concurrency, timeout, attempts, delay);
    }

    private static IEnumerable<DiagnosticInfo> SettingProblems(HandlerSettings settings, string display, SourceSpot spot)
    {
        if (settings.SubscriberId is { } id && id.Trim().Length == 0)
        {
            yield return DiagnosticInfo.Create(Diagnostics.InvalidSetting, spot, display, "SubscriberId", "an empty name", "use a printable name such as 'billing', or leave it out for the class name");
        }

        if (settings.Pattern is { Length: 0 })
        {
            yield return DiagnosticInfo.Create(Diagnostics.InvalidSetting, spot, display, "Pattern", "an empty pattern", "use a dotted pattern such as 'order.*', or leave it out");
        }

        foreach ((string name, int value) in new[] { ("Concurrency", settings.Concurrency), ("TimeoutMilliseconds", settings.TimeoutMilliseconds), ("MaxAttempts", settings.MaxAttempts), ("RetryDelayMilliseconds", settings.RetryDelayMilliseconds) })
        {
            if (value < 0)
            {
                yield return DiagnosticInfo.Create(Diagnostics.InvalidSetting, spot, display, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "use a positive number, or leave it out for the bus's setting");
            }
        }
    }

    /// <summary>Why generated code in the same assembly can not name <paramref name="type"/>, or null when it can.</summary>
    private static string? Inaccessible(ITypeSymbol type)
    {
        for (ISymbol? symbol = type; symbol is INamedTypeSymbol named; symbol = named.ContainingType)
        {
            if (named.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                string accessibility = named.DeclaredAccessibility switch
                {
                    Accessibility.Private => "private",
                    Accessibility.Protected => "protected",
                    _ => "private protected",
                };
                return ReferenceEquals(named, type) ? accessibility : $"nested in {accessibility} '{named.ToDisplayString()}'";
            }
        }

        return type is IArrayTypeSymbol array ? Inaccessible(array.ElementType) : null;
    }

    private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            yield return containing;
        }
    }
}
