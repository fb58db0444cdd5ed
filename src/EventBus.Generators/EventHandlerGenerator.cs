using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EventBus.Generators;

/// <summary>
/// Finds the event handler classes of a compilation (implementations of <c>IEventHandler&lt;T&gt;</c>, and of
/// <c>IEventHandler</c> with a pattern) and emits <c>AddEventHandlers()</c>, which registers each of them through the
/// builder's public API: handler discovery at compile time, so registration needs no reflection and stays trimming and
/// Native AOT safe. Mistakes are reported as EB0001-EB0005.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class EventHandlerGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<HandlerModel> handlers = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is ClassDeclarationSyntax { BaseList: not null } or RecordDeclarationSyntax { BaseList: not null, ClassOrStructKeyword.ValueText: not "struct" },
                static (syntax, cancellationToken) => syntax.SemanticModel.GetDeclaredSymbol(syntax.Node, cancellationToken) is INamedTypeSymbol type
                    ? HandlerDiscovery.Discover(type, syntax.SemanticModel.Compilation)
                    : null)
            .Where(static model => model is not null)!;

        // Payload types named with [EventType] in this compilation join the catalogue even when no handler here takes them.
        IncrementalValuesProvider<string> attributed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                HandlerDiscovery.EventTypeAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (syntax, _) => syntax.TargetSymbol is INamedTypeSymbol type ? HandlerDiscovery.EventTypeName(type) : null)
            .Where(static name => name is not null)!;

        IncrementalValueProvider<(string? Assembly, bool ReferencesBus)> assembly = context.CompilationProvider
            .Select(static (compilation, _) => (compilation.AssemblyName, compilation.GetTypeByMetadataName(HandlerDiscovery.TypedHandlerName) is not null));

        context.RegisterSourceOutput(handlers.Collect().Combine(attributed.Collect()).Combine(assembly), static (output, input) =>
        {
            ((ImmutableArray<HandlerModel> found, ImmutableArray<string> attributedTypes), (string? assemblyName, bool referencesBus)) = input;
            if (!referencesBus)
            {
                return;
            }

            // A partial class declared in several files is found once per declaration with a base list.
            List<HandlerModel> unique = [.. found.GroupBy(h => h.TypeName).Select(g => g.First()).OrderBy(h => h.TypeName, StringComparer.Ordinal)];
            List<HandlerModel> registered = [];
            foreach (HandlerModel handler in unique)
            {
                foreach (DiagnosticInfo problem in handler.Problems)
                {
                    output.ReportDiagnostic(problem.ToDiagnostic());
                }

                if (!handler.Problems.Any(p => p.Descriptor.DefaultSeverity == DiagnosticSeverity.Error))
                {
                    registered.Add(handler);
                }
            }

            ReportDuplicateIds(output, registered);
            List<string> eventTypes = [.. registered.SelectMany(h => h.EventTypes).Concat(attributedTypes).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal)];
            output.AddSource(RegistrationEmitter.HintName, RegistrationEmitter.Emit(assemblyName ?? "(unnamed)", registered, eventTypes));
        });
    }

    private static void ReportDuplicateIds(SourceProductionContext output, List<HandlerModel> handlers)
    {
        Dictionary<string, HandlerModel> owners = new(StringComparer.Ordinal);
        foreach (HandlerModel handler in handlers)
        {
            foreach (Registration registration in handler.Registrations)
            {
                if (owners.TryGetValue(registration.SubscriberId, out HandlerModel? owner) && owner != handler)
                {
                    output.ReportDiagnostic(DiagnosticInfo.Create(Diagnostics.DuplicateSubscriberId, handler.Spot, owner.DisplayName, handler.DisplayName, registration.SubscriberId).ToDiagnostic());
                }
                else
                {
                    owners[registration.SubscriberId] = handler;
                }
            }
        }
    }
}
