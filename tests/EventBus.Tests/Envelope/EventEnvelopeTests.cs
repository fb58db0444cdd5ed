using EventBus.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EventBus.Tests.Envelope;

public sealed class EventEnvelopeTests
{
    private readonly FakeTimeProvider _time = Buses.FakeTime();

    [Fact]
    public void Build_StampsTimestampAndVersion7IdFromTheInjectedClock()
    {
        EventEnvelope envelope = new EventBuilder("workflow.started").Build(_time);

        envelope.Timestamp.Should().Be(_time.GetUtcNow());
        envelope.Timestamp.Offset.Should().Be(TimeSpan.Zero);
        envelope.Id.Version.Should().Be(7);
    }

    [Fact]
    public void Build_IdsAreUniqueAndOrderedByTime()
    {
        EventEnvelope first = EventEnvelope.Create("a.b", timeProvider: _time);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        EventEnvelope second = EventEnvelope.Create("a.b", timeProvider: _time);
        HashSet<Guid> ids = [.. Enumerable.Range(0, 10_000).Select(_ => EventEnvelope.Create("a.b", timeProvider: _time).Id)];

        ids.Should().HaveCount(10_000);
        second.Id.CompareTo(first.Id).Should().BePositive();
    }

    [Fact]
    public void Build_CarriesEveryField()
    {
        DateTimeOffset expires = _time.GetUtcNow().AddMinutes(5);
        Guid cause = Guid.CreateVersion7();
        EventEnvelope envelope = new EventBuilder("phase.completed")
            .WithKind(EventKind.Command)
            .WithSource("planner")
            .WithTarget("worker-1")
            .WithWorkflow("wf-1", "build")
            .WithCorrelation("corr-1")
            .WithCausation(cause)
            .WithPriority(EventPriority.Critical)
            .WithExpiry(expires)
            .WithSchemaVersion(3)
            .WithData(42)
            .WithMetadata("user", "ada")
            .Build(_time);

        envelope.Should().BeEquivalentTo(new
        {
            Type = "phase.completed",
            Kind = EventKind.Command,
            Source = "planner",
            Target = "worker-1",
            WorkflowId = "wf-1",
            Phase = "build",
            CorrelationId = "corr-1",
            CausationId = (Guid?)cause,
            Priority = EventPriority.Critical,
            ExpiresAt = (DateTimeOffset?)expires,
            SchemaVersion = 3,
            Data = (object)42,
        });
        envelope.Metadata.Should().Equal(new Dictionary<string, string> { ["user"] = "ada" });
        envelope.ToString().Should().Contain("phase.completed").And.Contain("Command").And.Contain("Critical");
    }

    [Fact]
    public void Build_Defaults_AreNotificationNormalSchemaOneNoMetadata()
    {
        EventEnvelope envelope = EventEnvelope.Create("a.b", timeProvider: _time);

        envelope.Kind.Should().Be(EventKind.Notification);
        envelope.Priority.Should().Be(EventPriority.Normal);
        envelope.SchemaVersion.Should().Be(1);
        envelope.Metadata.Should().BeEmpty();
        envelope.Source.Should().NotBeNullOrWhiteSpace();
        envelope.ExpiresAt.Should().BeNull();
    }

    [Fact]
    public void Build_MetadataIsACopy_LaterBuilderChangesDoNotReachPublishedEvents()
    {
        EventBuilder builder = new EventBuilder("a.b").WithMetadata("k", "1");
        EventEnvelope envelope = builder.Build(_time);
        builder.WithMetadata("k", "2").WithMetadata("other", "x");

        envelope.Metadata.Should().Equal(new Dictionary<string, string> { ["k"] = "1" });
        FluentActions.Invoking(() => ((IDictionary<string, string>)envelope.Metadata)["k"] = "3")
            .Should().Throw<NotSupportedException>("a published event's metadata can not be changed");
    }

    [Fact]
    public void ExpiresAfter_IsRelativeToTheTimestamp()
    {
        EventEnvelope envelope = new EventBuilder("a.b").WithExpiry(TimeSpan.FromSeconds(30)).Build(_time);

        envelope.ExpiresAt.Should().Be(_time.GetUtcNow().AddSeconds(30));
        envelope.IsExpired(_time.GetUtcNow().AddSeconds(29)).Should().BeFalse();
        envelope.IsExpired(_time.GetUtcNow().AddSeconds(30)).Should().BeTrue();
    }

    [Fact]
    public void CreateCaused_LinksCausationCorrelationAndWorkflow()
    {
        EventEnvelope parent = new EventBuilder("workflow.started").WithWorkflow("wf-9", "plan").Build(_time);

        EventEnvelope child = parent.CreateCaused("phase.started", "data", _time);
        EventEnvelope grandChild = child.CreateCaused("phase.completed", timeProvider: _time);

        child.CausationId.Should().Be(parent.Id);
        child.CorrelationId.Should().Be(parent.Id.ToString(), "a parent without a correlation id starts the conversation");
        child.WorkflowId.Should().Be("wf-9");
        child.Phase.Should().Be("plan");
        child.Data.Should().Be("data");
        grandChild.CausationId.Should().Be(child.Id);
        grandChild.CorrelationId.Should().Be(parent.Id.ToString(), "correlation is kept along the chain");
    }

    [Fact]
    public void CreateCaused_KeepsAnExistingCorrelationId()
    {
        EventEnvelope parent = new EventBuilder("query.sent").WithCorrelation("req-1").Build(_time);

        parent.CreateCaused("query.answered", timeProvider: _time).CorrelationId.Should().Be("req-1");
    }

    [Fact]
    public void GetData_ReturnsTheTypedPayload_AndExplainsAMismatch()
    {
        EventEnvelope envelope = EventEnvelope.Create("order.placed", new Order(7), _time);

        envelope.GetData<Order>().Should().Be(new Order(7));
        envelope.TryGetData(out Order? order).Should().BeTrue();
        order.Should().Be(new Order(7));
        envelope.TryGetData(out string? _).Should().BeFalse();
        FluentActions.Invoking(() => envelope.GetData<string>()).Should().Throw<InvalidOperationException>()
            .WithMessage("*order.placed*Order*System.String*TryGetData*");
        FluentActions.Invoking(() => EventEnvelope.Create("a.b", timeProvider: _time).GetData<Order>()).Should().Throw<InvalidOperationException>()
            .WithMessage("*no payload*");
    }

    [Theory]
    [InlineData("", "*'' is empty*")]
    [InlineData("workflow..started", "*'workflow..started' has an empty segment*")]
    [InlineData(".workflow", "*empty segment*")]
    [InlineData("workflow.", "*empty segment*")]
    [InlineData("workflow.*", "*'workflow.*' contains the wildcard '*'*subscription*")]
    [InlineData("workflow.#", "*wildcard '#'*")]
    [InlineData("work flow", "*contains ' ' at position 4*letters, digits*")]
    [InlineData("wörk", "*contains 'ö'*")]
    public void Builder_RejectsMalformedTypes_WithMessagesThatNameTheValueAndTheFix(string type, string message)
    {
        FluentActions.Invoking(() => new EventBuilder(type)).Should().Throw<ArgumentException>()
            .WithMessage(message).And.ParamName.Should().Be("type");
    }

    [Fact]
    public void Builder_RejectsNullAndOverlongTypes()
    {
        FluentActions.Invoking(() => new EventBuilder(null!)).Should().Throw<ArgumentNullException>().WithMessage("*required*workflow.started*");
        FluentActions.Invoking(() => new EventBuilder(new string('a', 257))).Should().Throw<ArgumentException>().WithMessage("*257 characters long; the limit is 256*");
        FluentActions.Invoking(() => new EventBuilder(new string('a', 256))).Should().NotThrow();
    }

    [Fact]
    public void Builder_AcceptsDigitsUnderscoresAndDashes()
    {
        FluentActions.Invoking(() => new EventBuilder("node_1.op-2.started")).Should().NotThrow();
    }

    [Fact]
    public void Builder_RejectsOutOfRangeValues()
    {
        EventBuilder builder = new("a.b");

        builder.Invoking(b => b.WithPriority((EventPriority)9)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*priority 9*Low, Normal, High or Critical*");
        builder.Invoking(b => b.WithKind((EventKind)9)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*kind 9*Notification*");
        builder.Invoking(b => b.WithExpiry(TimeSpan.Zero)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*must be positive*");
        builder.Invoking(b => b.WithSchemaVersion(0)).Should().Throw<ArgumentOutOfRangeException>();
        builder.Invoking(b => b.WithSource(" ")).Should().Throw<ArgumentException>();
        builder.Invoking(b => b.WithMetadata("", "v")).Should().Throw<ArgumentException>();
        builder.Invoking(b => b.CausedBy(null!)).Should().Throw<ArgumentNullException>();
    }

    private sealed record Order(int Number);
}
