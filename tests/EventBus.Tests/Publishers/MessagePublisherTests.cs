using EventBus.Testing;
using EventBus.Tests.Support;

namespace EventBus.Tests.Publishers;

public sealed class MessagePublisherTests
{
    private readonly InMemoryEventPublisher _fake = new(Buses.FakeTime());
    private readonly MessagePublisher _messages;

    public MessagePublisherTests() => _messages = new MessagePublisher(_fake, new EventPublisherOptions { Source = "agent-7" });

    [Fact]
    public async Task Command_HasCommandKind_NameAsType_ParametersAsData_AndTarget()
    {
        var parameters = new Dictionary<string, object?> { ["sku"] = "A-1", ["count"] = 3 };

        EventEnvelope command = (await _messages.PublishCommandAsync("inventory.reserve", parameters, target: "inventory", EventPriority.High)).Event;

        _fake.Published.All.Should().ContainSingle().Which.Should().BeSameAs(command);
        command.Type.Should().Be("inventory.reserve");
        command.Kind.Should().Be(EventKind.Command);
        command.Source.Should().Be("agent-7");
        command.Target.Should().Be("inventory");
        command.Priority.Should().Be(EventPriority.High);
        command.Data.Should().BeSameAs(parameters);
        command.CausationId.Should().BeNull();
    }

    [Fact]
    public async Task Notification_HasNotificationKind_AndNoTarget()
    {
        EventEnvelope notification = (await _messages.PublishNotificationAsync("stock.low", new { Sku = "A-1" })).Event;

        notification.Type.Should().Be("stock.low");
        notification.Kind.Should().Be(EventKind.Notification);
        notification.Source.Should().Be("agent-7");
        notification.Target.Should().BeNull();
        notification.Data.Should().BeEquivalentTo(new { Sku = "A-1" });
    }

    [Fact]
    public async Task QueryThenResponse_ChainCausationAndCorrelation()
    {
        EventEnvelope query = (await _messages.PublishQueryAsync("stock.level", "A-1", target: "inventory")).Event;
        MessagePublisher responder = new(_fake, new EventPublisherOptions { Source = "inventory" });

        EventEnvelope response = (await responder.PublishResponseAsync(query, 17)).Event;

        query.Kind.Should().Be(EventKind.Query);
        query.Target.Should().Be("inventory");
        query.CorrelationId.Should().NotBeNullOrEmpty("a query starts a conversation its response joins");
        response.Type.Should().Be("stock.level.response");
        response.Kind.Should().Be(EventKind.Response);
        response.Source.Should().Be("inventory");
        response.Target.Should().Be("agent-7", "the response goes back to the query's source");
        response.CausationId.Should().Be(query.Id);
        response.CorrelationId.Should().Be(query.CorrelationId);
        response.Data.Should().Be(17);
        response.Metadata.Should().Equal(new Dictionary<string, string> { ["success"] = "true" });
    }

    [Fact]
    public async Task Query_KeepsAGivenCorrelationId()
    {
        EventEnvelope query = (await _messages.PublishQueryAsync("stock.level", correlationId: "req-5")).Event;

        query.CorrelationId.Should().Be("req-5");
    }

    [Fact]
    public async Task FailedResponse_IsMarkedInMetadata()
    {
        EventEnvelope query = (await _messages.PublishQueryAsync("stock.level")).Event;

        EventEnvelope response = (await _messages.PublishResponseAsync(query, new ErrorDetails("NOT_FOUND", "no such sku"), isSuccess: false)).Event;

        response.Metadata[EventMetadataKeys.Success].Should().Be("false");
        response.Data.Should().Be(new ErrorDetails("NOT_FOUND", "no such sku"));
    }

    [Fact]
    public async Task Response_ToSomethingOtherThanAQuery_IsRefused()
    {
        EventEnvelope command = (await _messages.PublishCommandAsync("do.it")).Event;

        Func<Task> respond = () => _messages.PublishResponseAsync(command, null).AsTask();

        (await respond.Should().ThrowAsync<ArgumentException>()).WithMessage("*'do.it'*Command, not a Query*");
    }

    [Fact]
    public async Task Error_CarriesCodeMessageAndSource_AndIsCausedByTheSourceEvent()
    {
        EventEnvelope command = (await _messages.PublishCommandAsync("payment.capture")).Event;
        var details = new Dictionary<string, object?> { ["attempt"] = 2 };

        EventEnvelope error = (await _messages.PublishErrorAsync("CARD_DECLINED", "The card was declined", command, details)).Event;

        error.Type.Should().Be("error.reported");
        error.Kind.Should().Be(EventKind.Error);
        error.Priority.Should().Be(EventPriority.High);
        error.Source.Should().Be("agent-7");
        error.CausationId.Should().Be(command.Id);
        error.CorrelationId.Should().Be(command.Id.ToString());
        error.Metadata.Should().Equal(new Dictionary<string, string> { ["error_code"] = "CARD_DECLINED" });
        error.Data.Should().Be(new ErrorDetails("CARD_DECLINED", "The card was declined") { SourceEventId = command.Id, Details = details });
    }

    [Fact]
    public async Task Error_WithoutSource_HasNoCause()
    {
        EventEnvelope error = (await _messages.PublishErrorAsync("DISK", "disk full")).Event;

        error.CausationId.Should().BeNull();
        error.GetData<ErrorDetails>().SourceEventId.Should().BeNull();
    }
}
