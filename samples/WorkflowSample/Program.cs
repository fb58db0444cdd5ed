using EventBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkflowSample;

// A generic host with the event bus, the typed publishers, one DI-resolved handler, and a runner that drives one
// small workflow: a query for its plan, phases with progress, a resource, and a timed operation.
HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services
    .AddEventBus(options => options.WorkerCount = 2)
    .ConfigurePublishers(publishers => publishers.Source = "workflow-sample")
    .AddOperationPublisher("builder", "compile")
    .AddEventHandler<AuditTrail>("#");
builder.Services.AddHostedService<WorkflowRunner>();

await builder.Build().RunAsync();
return 0;
