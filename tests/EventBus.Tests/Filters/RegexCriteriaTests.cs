namespace EventBus.Tests.Filters;

/// <summary>
/// The combined workflow filter in both forms: regular expressions that search their value as a shell's <c>=~</c>
/// does, and globs that match the whole value.
/// </summary>
public sealed class RegexCriteriaTests
{
    private static EventEnvelope Event(string type, string? workflow = null, string? phase = null, EventPriority priority = EventPriority.Normal) =>
        new EventBuilder(type).WithWorkflow(workflow, phase).WithPriority(priority).Build();

    [Fact]
    public void RegexCriteria_TakesAnchoredRegularExpressions_ForWorkflowAndType()
    {
        EventFilter filter = EventFilter.RegexCriteria("^order-[0-9]+$", @"^phase\.(started|completed)$");

        filter.Matches(Event("phase.started", "order-12")).Should().BeTrue();
        filter.Matches(Event("phase.completed", "order-7")).Should().BeTrue();
        filter.Matches(Event("phase.progress", "order-12")).Should().BeFalse("the type alternation does not include progress");
        filter.Matches(Event("phase.started", "order-x")).Should().BeFalse();
        filter.Matches(Event("phase.started")).Should().BeFalse("an event without a workflow id is matched as the empty string");
        filter.Description.Should().Be(@"(workflow matches regex '^order-[0-9]+$') and (type matches regex '^phase\.(started|completed)$')");
    }

    [Fact]
    public void RegexCriteria_MatchAllExpressions_MatchEventsWithAndWithoutWorkflowIds()
    {
        EventFilter filter = EventFilter.RegexCriteria(".*", ".*", ".*");

        filter.Should().BeSameAs(EventFilter.All, ".* matches any value and a missing one, so nothing is left to check");
        EventFilter.RegexCriteria().Should().BeSameAs(EventFilter.All);
        EventFilter.RegexCriteria("^$").Matches(Event("a.b")).Should().BeTrue("a missing workflow id is the empty string");
        EventFilter.RegexCriteria("^$").Matches(Event("a.b", "wf-1")).Should().BeFalse();
    }

    [Fact]
    public void RegexCriteria_SearchesTheValue_UnlessAnchored()
    {
        EventFilter.RegexCriteria("order-[0-9]+").Matches(Event("a.b", "my-order-42x")).Should().BeTrue();
        EventFilter.RegexCriteria("^order-[0-9]+$").Matches(Event("a.b", "my-order-42x")).Should().BeFalse();
    }

    [Fact]
    public void RegexCriteria_CombinesPhaseAndPriority()
    {
        EventFilter filter = EventFilter.RegexCriteria(phaseRegex: "^(build|test)$", minimumPriority: EventPriority.High);

        filter.Matches(Event("phase.started", "wf", "build", EventPriority.High)).Should().BeTrue();
        filter.Matches(Event("phase.started", "wf", "build", EventPriority.Normal)).Should().BeFalse();
        filter.Matches(Event("phase.started", "wf", "deploy", EventPriority.Critical)).Should().BeFalse();
        filter.Matches(Event("phase.started", "wf", null, EventPriority.Critical)).Should().BeFalse();
    }

    [Theory]
    [InlineData(@"(a)\1", "workflowRegex", "linear-time engine")]
    [InlineData("[unclosed", "workflowRegex", "not valid")]
    [InlineData("", "workflowRegex", "empty")]
    public void RegexCriteria_RefusesPatternsTheSafeEngineCanNotRun_NamingTheArgument(string pattern, string paramName, string reason)
    {
        FluentActions.Invoking(() => EventFilter.RegexCriteria(pattern))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == paramName).WithMessage($"*{reason}*");
        FluentActions.Invoking(() => EventFilter.RegexCriteria(typeRegex: new string('a', 1_001)))
            .Should().Throw<ArgumentException>().Where(e => e.ParamName == "typeRegex").WithMessage("*1001 characters*limit is 1000*");
    }

    [Fact]
    public void GlobCriteria_RefusesRegexSyntaxForTheType_AndMatchesWholeValues()
    {
        // A regular expression is not a type pattern: the glob form says so instead of silently matching nothing.
        FluentActions.Invoking(() => EventFilter.GlobCriteria(typePattern: @"^phase\.(started|completed)$")).Should().Throw<ArgumentException>();
        EventFilter.GlobCriteria("order-*").Matches(Event("a.b", "my-order-1")).Should().BeFalse("a glob matches the whole value");
        EventFilter.GlobCriteria("*order-*").Matches(Event("a.b", "my-order-1")).Should().BeTrue();
    }
}
