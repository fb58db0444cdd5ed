using System.Diagnostics;
using System.Reflection;
using EventBus.PostgreSql.Tests.Server;

namespace EventBus.PostgreSql.Tests.Storage;

/// <summary>
/// Three processes append critical events to one schema while this one follows the log by position: every event whose
/// append returned is read exactly once, in position order, none skipped (an event numbered lower but committed later
/// would be skipped by a reader that had moved past it).
/// </summary>
[Collection(SharedServer.Name)]
public sealed class SeveralProcessesTests(PostgresServer server)
{
    private const int PerProcess = 400;
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task AReaderFollowingPositions_WhileThreeProcessesAppend_ReadsEveryAcknowledgedEventOnce_InOrder()
    {
        await using PostgreSqlEventStore reader = new(new PostgreSqlEventStoreOptions { ConnectionString = server.ConnectionString, Schema = _schema });
        (await reader.CountAsync()).Should().Be(0);
        Task<HashSet<Guid>>[] appenders = [.. Enumerable.Range(0, 3).Select(_ => RunAppenderAsync())];
        Task<HashSet<Guid>[]> appending = Task.WhenAll(appenders);
        List<Guid> read = [];
        long position = 0;
        using CancellationTokenSource limit = new(TimeSpan.FromMinutes(2));
        while (!appending.IsCompleted || read.Count < 3 * PerProcess)
        {
            if (appending.IsFaulted)
            {
                await appending;
            }

            EventLogPage page = await reader.ReadAfterAsync(position, 100, limit.Token);
            page.Position.Should().BeGreaterThanOrEqualTo(position);
            read.AddRange(page.Events.Select(e => e.Id));
            position = page.Position;
            if (page.Events.Count == 0)
            {
                await reader.WaitForAppendAsync(position, TimeSpan.FromSeconds(1), limit.Token);
            }

            read.Count.Should().BeLessThanOrEqualTo(3 * PerProcess, "no event is read twice");
        }

        HashSet<Guid>[] acknowledged = await appending.WaitAsync(TimeSpan.FromMinutes(2));
        acknowledged.Should().AllSatisfy(ids => ids.Should().HaveCount(PerProcess));
        read.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(acknowledged.SelectMany(ids => ids), "every acknowledged event was read once, none skipped");
        (await reader.ReadAfterAsync(0, 10_000)).Events.Select(e => e.Id).Should().Equal(read, "the reader saw them in position order");
    }

    private async Task<HashSet<Guid>> RunAppenderAsync()
    {
        string appender = typeof(SeveralProcessesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AppenderAssembly").Value!;
        ProcessStartInfo start = new("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])[appender, "--append-postgres", server.ConnectionString, _schema, PerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        HashSet<Guid> acknowledged = [];
        bool done = false;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "done")
            {
                done = true;
            }
            else if (Guid.TryParseExact(line, "N", out Guid id))
            {
                acknowledged.Add(id);
            }
        }

        await process.WaitForExitAsync();
        done.Should().BeTrue($"the appender should finish cleanly (exit {process.ExitCode}): {await errors}");
        return acknowledged;
    }
}
