using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Tests.Handlers;

/// <summary>Middleware around every handler registered with the builder: order, scope, short-circuit, exceptions and retries.</summary>
public sealed class MiddlewareTests
{
    [Fact]
    public async Task Middleware_RunsAroundTypedAndEnvelopeHandlers_InRegistrationOrder()
    {
        Journal journal = new();
        await using ServiceProvider provider = Build(journal, builder => builder
            .AddEventMiddleware<OuterMiddleware>()
            .AddEventMiddleware<InnerMiddleware>()
            .AddPayloadHandler<TypedHandler, Amount>()
            .AddEventHandler<EnvelopeHandler>("plain.event"));
        IEventBus bus = await provider.StartedBusAsync();

        (await bus.PublishAndWaitAsync(new Amount(3)).Within()).Succeeded.Should().BeTrue();
        (await bus.PublishAndWaitAsync(Buses.Event("plain.event")).Within()).Succeeded.Should().BeTrue();

        journal.Lines.Should().Equal(
            "outer before amount TypedHandler", "inner before", "typed 3", "inner after", "outer after",
            "outer before plain.event EnvelopeHandler", "inner before", "envelope plain.event", "inner after", "outer after");
    }

    [Fact]
    public async Task Middleware_IsResolvedFromTheHandlersScope()
    {
        Journal journal = new();
        await using ServiceProvider provider = Build(journal, builder => builder
            .AddEventMiddleware<ScopeMiddleware>()
            .AddPayloadHandler<ScopeHandler, Amount>());
        IEventBus bus = await provider.StartedBusAsync();

        await bus.PublishAndWaitAsync(new Amount(1)).Within();
        await bus.PublishAndWaitAsync(new Amount(2)).Within();

        journal.Lines.Should().HaveCount(4);
        journal.Lines[0].Should().Be(journal.Lines[1], "the middleware and the handler share the scope's instance");
        journal.Lines[2].Should().Be(journal.Lines[3]);
        journal.Lines[0].Should().NotBe(journal.Lines[2], "each handling has its own scope");
    }

    [Fact]
    public async Task AMiddlewareThatDoesNotCallNext_ShortCircuits_AndTheHandlingSucceeds()
    {
        Journal journal = new();
        await using ServiceProvider provider = Build(journal, builder => builder
            .AddEventMiddleware<SkippingMiddleware>()
            .AddPayloadHandler<TypedHandler, Amount>());
        IEventBus bus = await provider.StartedBusAsync();

        PublishReport skipped = await bus.PublishAndWaitAsync(new Amount(-1)).Within();
        PublishReport handled = await bus.PublishAndWaitAsync(new Amount(1)).Within();

        skipped.Succeeded.Should().BeTrue();
        handled.Succeeded.Should().BeTrue();
        journal.Lines.Should().Equal("skipped -1", "typed 1");
    }

    [Fact]
    public async Task EachRetry_IsASeparateInvocation_AndTheMiddlewareSeesTheException()
    {
        Journal journal = new();
        await using ServiceProvider provider = Build(journal, builder => builder
            .AddEventMiddleware<ObservingMiddleware>()
            .AddPayloadHandler<FailingHandler, Amount>(options: new SubscriptionOptions { Retry = RetryPolicy.Fixed(3, TimeSpan.Zero) }));
        IEventBus bus = await provider.StartedBusAsync();

        PublishReport report = await bus.PublishAndWaitAsync(new Amount(9)).Within();

        report.Succeeded.Should().BeFalse("the handler fails every attempt");
        journal.Lines.Should().Equal("failed: attempt 1", "failed: attempt 2", "failed: attempt 3");
        bus.DeadLetters.List().Should().ContainSingle("after the last attempt the event is dead-lettered as without middleware");
    }

    private static ServiceProvider Build(Journal journal, Action<IEventBusBuilder> register)
    {
        ServiceCollection services = new();
        services.AddSingleton(journal);
        services.AddScoped<ScopedThing>();
        register(services.AddEventBus(o => o.WorkerCount = 1));
        return services.BuildServiceProvider();
    }

    public sealed record Amount(int Value);

    internal sealed class Journal
    {
        private readonly List<string> _lines = [];

        public List<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    internal sealed class ScopedThing
    {
        public Guid Id { get; } = Guid.NewGuid();
    }

    internal sealed class OuterMiddleware(Journal journal) : IEventMiddleware
    {
        public async ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
        {
            journal.Add($"outer before {context.Envelope.Type} {context.SubscriberId}");
            await nextStep();
            journal.Add("outer after");
        }
    }

    internal sealed class InnerMiddleware(Journal journal) : IEventMiddleware
    {
        public async ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
        {
            journal.Add("inner before");
            await nextStep();
            journal.Add("inner after");
        }
    }

    internal sealed class SkippingMiddleware(Journal journal) : IEventMiddleware
    {
        public ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
        {
            if (context.Envelope.GetData<Amount>()!.Value < 0)
            {
                journal.Add($"skipped {context.Envelope.GetData<Amount>()!.Value}");
                return ValueTask.CompletedTask;
            }

            return nextStep();
        }
    }

    internal sealed class ObservingMiddleware(Journal journal) : IEventMiddleware
    {
        public async ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
        {
            try
            {
                await nextStep();
            }
            catch (InvalidOperationException exception)
            {
                journal.Add("failed: " + exception.Message);
                throw;
            }
        }
    }

    internal sealed class ScopeMiddleware(Journal journal, ScopedThing thing) : IEventMiddleware
    {
        public ValueTask InvokeAsync(IHandlerContext context, HandlingStep nextStep)
        {
            journal.Add(thing.Id.ToString());
            return nextStep();
        }
    }

    internal sealed class ScopeHandler(Journal journal, ScopedThing thing) : IEventHandler<Amount>
    {
        public ValueTask HandleAsync(EventEnvelope envelope, Amount payload, CancellationToken cancellationToken)
        {
            journal.Add(thing.Id.ToString());
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class TypedHandler(Journal journal) : IEventHandler<Amount>
    {
        public ValueTask HandleAsync(EventEnvelope envelope, Amount payload, CancellationToken cancellationToken)
        {
            journal.Add($"typed {payload.Value}");
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class EnvelopeHandler(Journal journal) : IEventHandler
    {
        public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            journal.Add($"envelope {envelope.Type}");
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class FailingHandler : IEventHandler<Amount>
    {
        private static int _attempts;

        public ValueTask HandleAsync(EventEnvelope envelope, Amount payload, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"attempt {Interlocked.Increment(ref _attempts)}");
    }
}
