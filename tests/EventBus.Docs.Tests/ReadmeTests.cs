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
        foreach ((string language, string code, string? snippet, int line) in Readme.Blocks().Where(b => b.Language != "bash"))
        {
            snippet.Should().NotBeNull($"the {language} block at README line {line} must be preceded by <!-- snippet: name --> naming the test code it quotes");
            snippets.Should().ContainKey(snippet!, $"README line {line} names snippet '{snippet}'");
            code.Should().Be(snippets[snippet!], $"the block at README line {line} must quote snippet '{snippet}' exactly; copy the snippet into the README");
        }
    }

    [Fact]
    public void EverySnippet_IsQuotedByTheReadme()
    {
        HashSet<string?> quoted = [.. Readme.Blocks().Select(b => b.Snippet)];

        Readme.Snippets().Keys.Where(name => !quoted.Contains(name)).Should().BeEmpty("a snippet nobody quotes is dead documentation");
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
