using EventBus.Tests.Support;

namespace EventBus.Tests.Filters;

public sealed class FilterFamilyTests
{
    private static readonly EventEnvelope Command = new EventBuilder("order.ship")
        .WithKind(EventKind.Command)
        .WithSource("checkout")
        .WithTarget("warehouse")
        .WithWorkflow("order-42", "fulfilment")
        .WithCorrelation("req-7")
        .WithPriority(EventPriority.High)
        .WithMetadata("tenant", "acme")
        .Build();

    [Fact]
    public void PropertyFilters_MatchTheirFieldOrdinally()
    {
        EventFilter.Kind(EventKind.Command, EventKind.Query).Matches(Command).Should().BeTrue();
        EventFilter.Kind(EventKind.Notification).Matches(Command).Should().BeFalse();
        EventFilter.Source("checkout").Matches(Command).Should().BeTrue();
        EventFilter.Source("Checkout").Matches(Command).Should().BeFalse();
        EventFilter.Target("warehouse", "billing").Matches(Command).Should().BeTrue();
        EventFilter.Target("billing").Matches(Buses.Event()).Should().BeFalse("an event without a target matches no target filter");
        EventFilter.Workflow("order-42").Matches(Command).Should().BeTrue();
        EventFilter.Phase("fulfilment").Matches(Command).Should().BeTrue();
        EventFilter.Correlation("req-8").Matches(Command).Should().BeFalse();
        EventFilter.MinPriority(EventPriority.High).Matches(Command).Should().BeTrue();
        EventFilter.MinPriority(EventPriority.Critical).Matches(Command).Should().BeFalse();
        EventFilter.Metadata("tenant").Matches(Command).Should().BeTrue();
        EventFilter.Metadata("tenant", "acme").Matches(Command).Should().BeTrue();
        EventFilter.Metadata("tenant", "other").Matches(Command).Should().BeFalse();
        EventFilter.Types("order.ship", "order.pay").Matches(Command).Should().BeTrue();
        EventFilter.Types("order.pay").Matches(Command).Should().BeFalse();
    }

    [Fact]
    public void Combinators_ComposeAndDescribeThemselves()
    {
        EventFilter filter = EventFilter.AnyOf(EventFilter.Kind(EventKind.Error), EventFilter.Source("checkout"))
            .And(EventFilter.Not(EventFilter.Metadata("tenant", "blocked")))
            .Or(EventFilter.MinPriority(EventPriority.Critical));

        filter.Matches(Command).Should().BeTrue();
        filter.Matches(Buses.Event()).Should().BeFalse();
        filter.Matches(Buses.Event(priority: EventPriority.Critical)).Should().BeTrue();
        filter.Description.Should().Be("(((kind in [Error]) or (source is 'checkout')) and (not (metadata 'tenant' is (a value, not shown)))) or (priority at least Critical)");
        EventFilter.Not(EventFilter.Not(EventFilter.Kind(EventKind.Query))).Description.Should().Be("kind in [Query]");
        EventFilter.AllOf().Should().BeSameAs(EventFilter.All);
        EventFilter.AllOf(EventFilter.Source("a"), EventFilter.Target("b")).Description.Should().Be("(source is 'a') and (target is 'b')");
        EventFilter.AnyOf(EventFilter.Source("a"), EventFilter.All).Should().BeSameAs(EventFilter.All);
        EventFilter.Source("a").Or(EventFilter.All).Should().BeSameAs(EventFilter.All);
        EventFilter.Types("b.b", "a.a").Description.Should().Be("type in ['a.a', 'b.b']");
    }

    [Fact]
    public void Criteria_DefaultsToMatchAll_AndCombinesGlobsPatternAndPriority()
    {
        EventFilter.GlobCriteria().Should().BeSameAs(EventFilter.All);
        EventFilter filter = EventFilter.GlobCriteria(workflowGlob: "order-*", typePattern: "order.*", phaseGlob: "fulfil?ent", minimumPriority: EventPriority.Normal);

        filter.Matches(Command).Should().BeTrue();
        filter.Matches(new EventBuilder("order.ship").WithWorkflow("invoice-1", "fulfilment").Build()).Should().BeFalse();
        filter.Matches(new EventBuilder("order.ship").WithWorkflow("order-1", "billing").Build()).Should().BeFalse();
        filter.Matches(new EventBuilder("order.ship").WithWorkflow("order-1", "fulfilment").WithPriority(EventPriority.Low).Build()).Should().BeFalse();
        filter.Description.Should().Be("(workflow like 'order-*') and (type matches 'order.*') and (phase like 'fulfil?ent') and (priority at least Normal)");
    }

    [Theory]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("?x", "ax", true)]
    [InlineData("?x", "x", false)]
    [InlineData("wf-*-done", "wf-1-2-done", true)]
    public void Glob_MatchesShellStylePatterns(string glob, string value, bool expected)
    {
        GlobFilter.IsMatch(glob, value).Should().Be(expected);
    }

    [Fact]
    public void Regex_MatchesTypes_OnTheLinearTimeEngine()
    {
        EventFilter filter = EventFilter.Regex(@"^order\.(ship|pay)$");

        filter.Matches(Command).Should().BeTrue();
        filter.Matches(Buses.Event("order.cancel")).Should().BeFalse();
        filter.Description.Should().Be(@"type matches regex '^order\.(ship|pay)$'");
    }

    [Fact]
    public void Regex_CatastrophicPatternOnAHugeInput_StaysLinear()
    {
        // (a+)+$ takes exponential time on a backtracking engine against "aaaa...!"; the linear engine answers at once.
        EventFilter filter = EventFilter.Regex("(a+)+$");
        EventEnvelope hostile = new EventBuilder(new string('a', 200) + "-x").Build();

        filter.Matches(hostile).Should().BeFalse();
        new System.Text.RegularExpressions.Regex("(a+)+$", System.Text.RegularExpressions.RegexOptions.NonBacktracking)
            .IsMatch(new string('a', 100_000) + "!").Should().BeFalse("the same engine on a 100,000-character input finishes");
    }

    [Theory]
    [InlineData(@"(a)\1", "*linear-time engine*backreferences*")]
    [InlineData(@"(?=order)\w+", "*linear-time engine*lookarounds*")]
    [InlineData(@"(unclosed", "*is not valid*")]
    [InlineData("", "*empty*")]
    public void Regex_UnsafeOrInvalidPatterns_AreRejectedWithAReason(string pattern, string message)
    {
        FluentActions.Invoking(() => EventFilter.Regex(pattern)).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void Regex_TooLongOrTooLargePatterns_AreRejected()
    {
        FluentActions.Invoking(() => EventFilter.Regex(new string('a', 1_001))).Should().Throw<ArgumentException>().WithMessage("*1001 characters long; the limit is 1000*");
        FluentActions.Invoking(() => EventFilter.Regex(@"\w{1,100000}")).Should().Throw<ArgumentException>().WithMessage("*linear-time engine*");
    }

    [Fact]
    public void BadArguments_AreRejectedWithTheFix()
    {
        FluentActions.Invoking(() => EventFilter.Kind()).Should().Throw<ArgumentException>().WithMessage("*at least one kind*");
        FluentActions.Invoking(() => EventFilter.Kind((EventKind)42)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*kind 42*");
        FluentActions.Invoking(() => EventFilter.Source()).Should().Throw<ArgumentException>().WithMessage("*at least one value*");
        FluentActions.Invoking(() => EventFilter.Target("a", null!)).Should().Throw<ArgumentException>().WithMessage("*can not match null*");
        FluentActions.Invoking(() => EventFilter.MinPriority((EventPriority)9)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => EventFilter.Metadata("")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => EventFilter.Types("a.*")).Should().Throw<ArgumentException>().WithMessage("*wildcard*");
        FluentActions.Invoking(() => EventFilter.AnyOf()).Should().Throw<ArgumentException>().WithMessage("*at least one filter*");
        FluentActions.Invoking(() => EventFilter.AllOf(EventFilter.All, null!)).Should().Throw<ArgumentException>().WithMessage("*null at index 1*");
        FluentActions.Invoking(() => EventFilter.Not(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => EventFilter.All.Or(null!)).Should().Throw<ArgumentNullException>();
    }
}
