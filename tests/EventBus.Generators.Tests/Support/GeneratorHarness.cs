using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Generators.Tests.Support;

/// <summary>Runs the generator on source text, as the compiler would, against .NET 10's reference assemblies and EventBus.</summary>
internal static class GeneratorHarness
{
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(IEventBus).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
    ];

    /// <summary>The generator's output and diagnostics, and the compiler's diagnostics for the source with the output added.</summary>
    public static GeneratorOutcome Run(string source, string assemblyName = "Shop.Orders", bool withEventBus = true)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Handlers.cs")],
            withEventBus ? References : Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new EventHandlerGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        string? generated = result.GeneratedTrees.SingleOrDefault()?.GetText().ToString();
        return new GeneratorOutcome(generated, generatorDiagnostics, [.. output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)]);
    }

    /// <summary>
    /// Compares <paramref name="generated"/> with the snapshot file of that name next to this folder's tests; with
    /// UPDATE_SNAPSHOTS=1 in the environment it writes the file instead, for a reviewed change of the output.
    /// </summary>
    public static void MatchesSnapshot(string? generated, string name)
    {
        generated.Should().NotBeNull("the generator emits AddEventHandlers() for any compilation that references EventBus");
        string path = Path.Combine(ProjectFolder(), "Snapshots", name + ".g.cs");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        File.Exists(path).Should().BeTrue($"the snapshot {path} is checked in (run the test once with UPDATE_SNAPSHOTS=1 to write it, then review it)");
        generated.Should().Be(File.ReadAllText(path).ReplaceLineEndings("\n"), $"the generated source must match {path}");
    }

    /// <summary>This test project's source folder, found from the test assembly's folder (bin/Release/net10.0 under it).</summary>
    private static string ProjectFolder()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "EventBus.Generators.Tests.csproj")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No EventBus.Generators.Tests.csproj above {AppContext.BaseDirectory}.");
    }
}

/// <summary>What one generator run produced.</summary>
/// <param name="Generated">The generated source, or null when there was none.</param>
/// <param name="GeneratorDiagnostics">What the generator reported.</param>
/// <param name="CompilerDiagnostics">Warnings and errors of the compilation with the generated source.</param>
internal sealed record GeneratorOutcome(string? Generated, ImmutableArray<Diagnostic> GeneratorDiagnostics, ImmutableArray<Diagnostic> CompilerDiagnostics);
