namespace EventBus.PostgreSql.Tests.Regressions;

/// <summary>
/// A store disposed by its owner and again by the container that registered it (as a host does on shutdown) threw
/// ObjectDisposedException from its append listener. Disposing again now does nothing.
/// </summary>
public sealed class DisposingTwiceTests
{
    [Fact]
    public async Task DisposingTheStoreTwice_IsHarmless()
    {
        // No server is needed: the store connects on first use.
        PostgreSqlEventStore store = new(new PostgreSqlEventStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Database=none;Username=none" });

        await store.DisposeAsync();
        Func<Task> again = async () => await store.DisposeAsync();

        await again.Should().NotThrowAsync();
    }
}
