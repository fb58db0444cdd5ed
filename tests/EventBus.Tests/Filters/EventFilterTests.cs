using EventBus.Tests.Support;

namespace EventBus.Tests.Filters;

public sealed class EventFilterTests
{
    [Theory]
    [InlineData("workflow.started", "workflow.started", true)]
    [InlineData("workflow.started", "workflow.completed", false)]
    [InlineData("workflow.*", "workflow.started", true)]
    [InlineData("workflow.*", "workflow", false)]
    [InlineData("workflow.*", "workflow.phase.started", false)]
    [InlineData("*.created", "order.created", true)]
    [InlineData("*.created", "order.item.created", false)]
    [InlineData("workflow.#", "workflow", true)]
    [InlineData("workflow.#", "workflow.a.b.c", true)]
    [InlineData("workflow.#", "workflows.a", false)]
    [InlineData("#.failed", "phase.failed", true)]
    [InlineData("#.failed", "failed", true)]
    [InlineData("a.#.z", "a.z", true)]
    [InlineData("a.#.z", "a.b.c.z", true)]
    [InlineData("a.#.z", "a.b.c", false)]
    [InlineData("*", "anything.at.all", true)]
    [InlineData("#", "x", true)]
    [InlineData("Workflow.*", "workflow.started", false)]
    public void Pattern_MatchesDottedNames(string pattern, string type, bool expected)
    {
        EventFilter.Pattern(pattern).Matches(Buses.Event(type)).Should().Be(expected);
    }

    [Theory]
    [InlineData("work*.started", "*wildcard '*' inside a segment*")]
    [InlineData("workflow..*", "*empty segment*")]
    [InlineData("workflow.*.", "*empty segment*")]
    [InlineData(".#", "*empty segment*")]
    [InlineData("", "*empty*")]
    public void Pattern_RejectsMalformedPatterns(string pattern, string message)
    {
        FluentActions.Invoking(() => EventFilter.Pattern(pattern)).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void Type_MatchesExactlyAndRejectsWildcards()
    {
        EventFilter.Type("a.b").Matches(Buses.Event("a.b")).Should().BeTrue();
        EventFilter.Type("a.b").Matches(Buses.Event("a.bc")).Should().BeFalse();
        FluentActions.Invoking(() => EventFilter.Type("a.*")).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Compose_AndOfPatternPredicateAndPayload_DescribesItself()
    {
        EventFilter filter = EventFilter.Pattern("order.*")
            .And(EventFilter.Where(e => e.Priority >= EventPriority.High, "priority at least High"))
            .And(EventFilter.Payload<int>());

        filter.Matches(Buses.Event("order.placed", priority: EventPriority.High, data: 1)).Should().BeTrue();
        filter.Matches(Buses.Event("order.placed", priority: EventPriority.Normal, data: 1)).Should().BeFalse();
        filter.Matches(Buses.Event("order.placed", priority: EventPriority.High, data: "x")).Should().BeFalse();
        filter.Description.Should().Be("(type matches 'order.*') and (priority at least High) and (payload is Int32)", "a chain of And flattens into one list");
        filter.ToString().Should().Be(filter.Description);
    }

    [Fact]
    public void All_IsTheIdentityOfAnd()
    {
        EventFilter type = EventFilter.Type("a.b");

        EventFilter.All.And(type).Should().BeSameAs(type);
        type.And(EventFilter.All).Should().BeSameAs(type);
        EventFilter.Pattern("*").Should().BeSameAs(EventFilter.All);
        EventFilter.All.Description.Should().Be("all events");
        FluentActions.Invoking(() => type.And(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => EventFilter.Where(null!)).Should().Throw<ArgumentNullException>();
    }
}
