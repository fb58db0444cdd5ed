using EventBus.RabbitMQ;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace EventBus.Docs.Tests.Snippets;

/// <summary>The README's RabbitMQ registration, run up to the point where it would connect (the transport's own tests use a real broker).</summary>
public sealed class RabbitMqSnippets
{
    [Fact]
    public void Registration_PublishesAndReceivesThroughTheConfiguredBroker()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        string password = "from-a-secret-store";
        // begin-snippet: rabbitmq
        builder.Services.AddEventBus()
            .AddEventTypes(c => c.Register("order.placed", "An order was placed", "orders", typeof(OrderPlaced)))   // the wire trusts the catalogue only
            .AddRabbitMq(o =>
            {
                o.HostName = "rabbit.internal";
                o.UserName = "billing";
                o.Password = password;          // never logged, never in an exception or ToString()
                o.QueueName = "billing";        // this application's durable queue: its instances share the work
                o.Publish.Add("order.#");       // events published here go to the broker, confirmed
                o.Receive.Add("payment.*");     // events from the broker, acknowledged after local handling
            });
        builder.Services.AddHealthChecks().AddEventBus().AddRabbitMq();   // the bus; Degraded while the broker is away
        // end-snippet

        using IHost host = builder.Build();
        RabbitMqOptions options = host.Services.GetRequiredService<RabbitMqOptions>();
        options.ToString().Should().Be("amqp://billing@rabbit.internal:5672/ exchange eventbus").And.NotContain(password);
        host.Services.GetServices<IHostedService>().Should().Contain(service => service is RabbitMqConsumer);
        host.Services.GetRequiredService<HealthCheckService>().Should().NotBeNull();
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).Should().Equal("eventbus", "rabbitmq");
    }
}
