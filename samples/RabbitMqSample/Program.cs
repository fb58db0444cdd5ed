using EventBus;
using EventBus.RabbitMQ;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMqSample;

// Two processes, one broker: the producer runs workflows and the transport carries their events to RabbitMQ; the
// consumer receives them into its own bus. See README.md in this folder for the commands.
SampleArguments arguments = SampleArguments.Parse(args);
HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services
    .AddEventBus()
    .ConfigurePublishers(o => o.Source = "rabbitmq-sample-" + arguments.Role)
    .AddRabbitMq(o =>
    {
        o.HostName = arguments.Host;
        o.Port = arguments.Port;
        o.Exchange = "rabbitmq-sample";
        if (arguments.Role == "producer")
        {
            o.Publish.Add("#");
        }
        else
        {
            o.QueueName = "rabbitmq-sample-consumer";
            o.Receive.Add("workflow.*");
            o.Receive.Add("phase.*");
        }
    });
using IHost host = builder.Build();
await host.StartAsync();

// Ctrl+C or SIGTERM stops the host's lifetime; the consumer then stops receiving and leaves the rest in its queue.
CancellationToken stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
try
{
    if (arguments.Role == "producer")
    {
        await Producer.RunAsync(host, arguments.Workflows);
    }
    else
    {
        await Consumer.RunAsync(host, arguments.Expect, stopping);
    }
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
}

await host.StopAsync();
return 0;
