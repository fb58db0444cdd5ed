using System.Text;
using System.Text.RegularExpressions;

namespace EventBus.Docs.Tests.Support;

/// <summary>
/// Reads the README's fenced code blocks and the snippet regions they quote. A block preceded by
/// <c>&lt;!-- snippet: name --&gt;</c> must equal the region <c>// begin-snippet: name</c> ... <c>// end-snippet</c> of a
/// file under <c>tests/EventBus.Docs.Tests/Snippets</c>, with the region's common indentation removed.
/// </summary>
internal static partial class Readme
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Text => File.ReadAllText(Path.Combine(RepositoryRoot, "README.md"));

    /// <summary>Gets the documents whose blocks quote snippets: the README and each package's readme (<c>src/*/PACKAGE.md</c>).</summary>
    public static IReadOnlyList<string> Documents =>
        ["README.md", .. Directory.GetDirectories(Path.Combine(RepositoryRoot, "src"))
            .Where(project => File.Exists(Path.Combine(project, "PACKAGE.md")))
            .Select(project => Path.GetRelativePath(RepositoryRoot, Path.Combine(project, "PACKAGE.md")))
            .Order(StringComparer.Ordinal)];

    /// <summary>Every fenced block of the README: its language, its text, and the snippet it names (or null).</summary>
    public static IReadOnlyList<(string Language, string Code, string? Snippet, int Line)> Blocks() => Blocks("README.md");

    /// <summary>Every fenced block of <paramref name="document"/> (a path from the repository root).</summary>
    public static IReadOnlyList<(string Language, string Code, string? Snippet, int Line)> Blocks(string document)
    {
        List<(string, string, string?, int)> blocks = [];
        string[] lines = File.ReadAllText(Path.Combine(RepositoryRoot, document)).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].Length == 3)
            {
                continue;
            }

            string language = lines[i][3..].Trim();
            string? snippet = null;
            if (i > 0 && SnippetMarker().Match(lines[i - 1]) is { Success: true } marker)
            {
                snippet = marker.Groups[1].Value;
            }

            int start = i + 1;
            int end = start;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }

            blocks.Add((language, string.Join('\n', lines[start..end]), snippet, i + 1));
            i = end;
        }

        return blocks;
    }

    /// <summary>Every snippet region under the snippet folder, by name.</summary>
    public static IReadOnlyDictionary<string, string> Snippets()
    {
        Dictionary<string, string> snippets = new(StringComparer.Ordinal);
        string folder = Path.Combine(RepositoryRoot, "tests", "EventBus.Docs.Tests", "Snippets");
        foreach (string file in Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories))
        {
            string[] lines = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            if (Path.GetExtension(file) == ".json")
            {
                snippets.Add(Path.GetFileNameWithoutExtension(file), string.Join('\n', lines).TrimEnd('\n'));
                continue;
            }

            for (int i = 0; i < lines.Length; i++)
            {
                if (BeginMarker().Match(lines[i]) is not { Success: true } begin)
                {
                    continue;
                }

                int end = Array.FindIndex(lines, i + 1, line => line.Trim() == "// end-snippet");
                if (end < 0)
                {
                    throw new InvalidOperationException($"Snippet '{begin.Groups[1].Value}' in {file} has no end-snippet line.");
                }

                snippets.Add(begin.Groups[1].Value, Dedent(lines[(i + 1)..end]));
                i = end;
            }
        }

        return snippets;
    }

    private static string Dedent(string[] lines)
    {
        int indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        StringBuilder text = new();
        foreach (string line in lines)
        {
            text.Append(line.Length >= indent ? line[indent..] : line.TrimStart()).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    private static string FindRoot()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EventBus.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No EventBus.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^<!-- snippet: ([\w-]+) -->\s*$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"^\s*// begin-snippet: ([\w-]+)\s*$")]
    private static partial Regex BeginMarker();
}
