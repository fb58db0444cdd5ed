namespace EventBus.Docs.Tests.Snippets;

/// <summary>The README's filters, run.</summary>
public sealed class FilterSnippets
{
    [Fact]
    public void Filters_ComposeDescribeThemselves_AndTakeRegexOrGlobCriteria()
    {
        // begin-snippet: filters
        EventFilter urgentOrders = EventFilter.Pattern("order.*").And(EventFilter.MinPriority(EventPriority.High));
        Console.WriteLine(urgentOrders);   // (type matches 'order.*') and (priority at least High)

        // The combined workflow filter, with regular expressions (each searches its value; anchor with ^ and $)...
        EventFilter byRegex = EventFilter.RegexCriteria(workflowRegex: "^order-[0-9]+$", typeRegex: @"^phase\.(started|completed)$");
        // ...or with globs over the whole workflow id and phase, and a type pattern.
        EventFilter byGlob = EventFilter.GlobCriteria(workflowGlob: "order-*", typePattern: "phase.*", minimumPriority: EventPriority.Normal);
        // end-snippet

        urgentOrders.ToString().Should().Be("(type matches 'order.*') and (priority at least High)");
        EventEnvelope started = new EventBuilder("phase.started").WithWorkflow("order-42").Build();
        byRegex.Matches(started).Should().BeTrue();
        byGlob.Matches(started).Should().BeTrue();
        byRegex.Matches(new EventBuilder("phase.progress").WithWorkflow("order-42").Build()).Should().BeFalse();
        byGlob.Matches(new EventBuilder("phase.started").WithWorkflow("invoice-1").Build()).Should().BeFalse();
    }
}
