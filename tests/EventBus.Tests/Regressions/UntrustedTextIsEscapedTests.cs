using EventBus.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EventBus.Tests.Regressions;

/// <summary>
/// Control characters in a bad event type were copied raw into exception messages (and so into logs), which lets
/// input forge log lines; and a metadata filter printed the value it compares with in its description and debug
/// log, so a filter on a secret leaked it. Untrusted text is now escaped, and filter values are redacted.
/// </summary>
public sealed class UntrustedTextIsEscapedTests
{
    [Fact]
    public void ABadEventType_IsEscapedInTheMessage()
    {
        Exception error = FluentActions.Invoking(() => new EventBuilder("order\nINFO forged line\0")).Should().Throw<ArgumentException>().Which;

        error.Message.Should().NotContain("\n").And.NotContain("\0");
        error.Message.Should().Contain(@"order\nINFO forged line\0");
    }

    [Fact]
    public async Task AMetadataFilter_NeverShowsItsValue_InItsDescriptionOrTheLog()
    {
        FakeLogCollector logs = new();
        await using IEventBus bus = await Buses.StartedAsync(logs: logs);
        EventFilter filter = EventFilter.Metadata("api-key", "s3cret-value");

        bus.Subscribe(filter, _ => { });

        filter.Description.Should().NotContain("s3cret-value").And.Contain("api-key");
        logs.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Debug && r.Message.Contains("api-key", StringComparison.Ordinal));
        logs.GetSnapshot().Should().NotContain(r => r.Message.Contains("s3cret-value", StringComparison.Ordinal));
    }

    [Fact]
    public void AnotherFiltersValues_AreEscaped()
    {
        EventFilter.Workflow("wf\r\nforged").Description.Should().NotContain("\n").And.Contain(@"wf\r\nforged");
    }

    [Fact]
    public async Task ASubscriberIdWithControlCharacters_IsRefused()
    {
        await using IEventBus bus = await Buses.StartedAsync();

        FluentActions.Invoking(() => bus.Subscribe(EventFilter.All, _ => { }, new SubscriptionOptions { SubscriberId = "billing\nforged" }))
            .Should().Throw<ArgumentException>().WithMessage(@"*SubscriberId 'billing\nforged'*control character*");
    }
}
