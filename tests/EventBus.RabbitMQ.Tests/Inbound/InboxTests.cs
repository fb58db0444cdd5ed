using Microsoft.Extensions.Time.Testing;

namespace EventBus.RabbitMQ.Tests.Inbound;

public sealed class InboxTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task AHandledEvent_IsADuplicateWithinTheWindow_AndForgottenAfter()
    {
        Inbox inbox = new(_time, TimeSpan.FromMinutes(10), capacity: 100);
        EventEnvelope envelope = new EventBuilder("a.b").WithSource("shop").Build();

        inbox.IsDuplicate(envelope).Should().BeFalse();
        await inbox.HandledAsync(envelope);
        inbox.IsDuplicate(envelope).Should().BeTrue();
        _time.Advance(TimeSpan.FromMinutes(11));
        inbox.IsDuplicate(envelope).Should().BeFalse("the window passed");
        inbox.Duplicates.Should().Be(1);
    }

    [Fact]
    public async Task TheSameIdFromAnotherSource_IsNotADuplicate_AndTheOldestGoFirstPastTheCapacity()
    {
        Inbox inbox = new(_time, TimeSpan.FromHours(1), capacity: 2);
        Guid id = Guid.NewGuid();
        EventEnvelope fromShop = new EventBuilder("a.b").WithSource("shop").BuildStored(id, _time.GetUtcNow());
        EventEnvelope fromStock = new EventBuilder("a.b").WithSource("stock").BuildStored(id, _time.GetUtcNow());
        EventEnvelope third = new EventBuilder("a.b").WithSource("shop").Build();

        await inbox.HandledAsync(fromShop);
        inbox.IsDuplicate(fromStock).Should().BeFalse("identity is source and id together");
        await inbox.HandledAsync(fromStock);
        await inbox.HandledAsync(third);

        inbox.IsDuplicate(fromShop).Should().BeFalse("the oldest was forgotten past the capacity");
        inbox.IsDuplicate(fromStock).Should().BeTrue();
        inbox.IsDuplicate(third).Should().BeTrue();
    }
}
