using System.Diagnostics;
using EventBus.Docs.Tests.Support;

namespace EventBus.Docs.Tests;

/// <summary>
/// The README can not drift: each of its code blocks is a snippet compiled and run by the tests in this project, and
/// its Quick start commands are the ones that run the sample and the suite.
/// </summary>
public sealed class ReadmeTests
{
    [Fact]
    public void EveryCodeBlock_QuotesASnippet_Exactly()
    {
        IReadOnlyDictionary<string, string> snippets = Readme.Snippets();
        foreach (string document in Readme.Documents)
        {
            foreach ((string language, string code, string? snippet, int line) in Readme.Blocks(document).Where(b => b.Language != "bash"))
            {
                snippet.Should().NotBeNull($"the {language} block at {document} line {line} must be preceded by <!-- snippet: name --> naming the test code it quotes");
                snippets.Should().ContainKey(snippet!, $"{document} line {line} names snippet '{snippet}'");
                code.Should().Be(snippets[snippet!], $"the block at {document} line {line} must quote snippet '{snippet}' exactly; run python3 eng/update-readme-snippets.py");
            }
        }
    }

    [Fact]
    public void EverySnippet_IsQuotedByADocument()
    {
        HashSet<string?> quoted = [.. Readme.Documents.SelectMany(Readme.Blocks).Select(b => b.Snippet)];

        Readme.Snippets().Keys.Where(name => !quoted.Contains(name)).Should().BeEmpty("a snippet nobody quotes is dead documentation");
    }

    [Fact]
    public void EveryPackage_HasAReadmeOfItsOwn_WithNoShellBlocksAndOnlyAbsoluteLinks()
    {
        string[] packable = [.. Directory.GetFiles(Path.Combine(Readme.RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(project => !File.ReadAllText(project).Contains("<IsPackable>false</IsPackable>", StringComparison.Ordinal))
            .Select(project => Path.GetRelativePath(Readme.RepositoryRoot, Path.Combine(Path.GetDirectoryName(project)!, "PACKAGE.md")))];

        packable.Should().BeEquivalentTo(Readme.Documents.Skip(1), "each package shows its own readme on NuGet, not the repository's");
        foreach (string document in Readme.Documents.Skip(1))
        {
            string text = File.ReadAllText(Path.Combine(Readme.RepositoryRoot, document));
            Readme.Blocks(document).Should().NotContain(b => b.Language == "bash", $"{document}: commands go inline; every block is a compiled snippet");
            System.Text.RegularExpressions.Regex.Matches(text, @"\]\((?!https://)[^)]*\)").Should().BeEmpty($"{document}: a relative link breaks on NuGet");
            text.Should().Contain("Install: `dotnet add package ", $"{document} says how to install it");
        }
    }

    [Fact]
    public void OnlyTheQuickStartIsAShellBlock_AndItsTestCommandIsTheOneCiRuns()
    {
        (string Language, string Code, string? Snippet, int Line)[] shell = [.. Readme.Blocks().Where(b => b.Language == "bash")];
        string[] commands = shell.Should().ContainSingle().Subject.Code.Split('\n');

        commands.Should().Equal("dotnet run --project samples/WorkflowSample", "./build.sh && dotnet test EventBus.sln -c Release");
        File.ReadAllText(Path.Combine(Readme.RepositoryRoot, ".ci", "run")).Should().Contain("./build.sh && dotnet test EventBus.sln -c Release", "CI runs the README's test command");
    }

    [Fact]
    public async Task QuickStartSample_RunsToCompletion_AndPrintsItsSummary()
    {
        // The sample was built with this project (same configuration); running its output is what `dotnet run` does after building.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string sample = Path.Combine(Readme.RepositoryRoot, "samples", "WorkflowSample", "bin", configuration, "net10.0", "WorkflowSample.dll");
        using Process process = Process.Start(new ProcessStartInfo("dotnet", [sample]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();

        using CancellationTokenSource limit = new(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);

        (await errors).Should().BeEmpty();
        process.ExitCode.Should().Be(0);
        string printed = await output;
        printed.Should().Contain("[workflow] workflow.started").And.Contain("[operation] builder.compile.completed").And.MatchRegex(@"done: \d+ events published, \d+ deliveries handled, 0 failed");
    }
}
