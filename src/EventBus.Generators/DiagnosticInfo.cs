using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EventBus.Generators;

/// <summary>
/// A diagnostic to report, kept as plain values (a Location holds the syntax tree, which would keep every compilation
/// alive in the incremental cache and never compare equal).
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, SourceSpot Spot, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SourceSpot spot, params string[] arguments) =>
        new(descriptor, spot, new EquatableArray<string>([.. arguments]));

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Spot.ToLocation(), [.. Arguments]);
}

/// <summary>Where a declaration is, as values.</summary>
internal sealed record SourceSpot(string FilePath, TextSpan Span, LinePositionSpan Lines)
{
    public static SourceSpot Of(ISymbol symbol)
    {
        Location? location = symbol.Locations.FirstOrDefault(l => l.IsInSource);
        if (location is null)
        {
            return new SourceSpot(string.Empty, default, default);
        }

        FileLinePositionSpan lines = location.GetLineSpan();
        return new SourceSpot(lines.Path ?? string.Empty, location.SourceSpan, lines.Span);
    }

    public Location ToLocation() => FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, Lines);
}
