using EventBus.PostgreSql.Tests.Server;
using EventBus.Testing.Processes;

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

    private Task<HashSet<Guid>> RunAppenderAsync() =>
        AppenderProcess.RunAsync(typeof(SeveralProcessesTests).Assembly, "--append-postgres", server.ConnectionString, _schema, PerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
