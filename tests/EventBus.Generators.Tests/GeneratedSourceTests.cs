using EventBus.Generators.Tests.Support;

namespace EventBus.Generators.Tests;

/// <summary>The registration code the generator emits for representative handler sets, compared with reviewed snapshots, and compiled.</summary>
public sealed class GeneratedSourceTests
{
    [Fact]
    public void TypedHandlers_WithAndWithoutSettings()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("""
            using System.Threading;
            using System.Threading.Tasks;
            using EventBus;

            namespace Shop.Orders;

            public sealed record OrderPlaced(int Id);

            [EventType("order.shipped")]
            public sealed record OrderShipped(int Id);

            public sealed class ConfirmationMailer : IEventHandler<OrderPlaced>
            {
                public ValueTask HandleAsync(EventEnvelope envelope, OrderPlaced payload, CancellationToken cancellationToken) => default;
            }

            [EventHandler(SubscriberId = "billing", Concurrency = 4, TimeoutMilliseconds = 5000, MaxAttempts = 5, RetryDelayMilliseconds = 100, Pattern = "order.#")]
            internal sealed class Billing : IEventHandler<OrderPlaced>
            {
                public ValueTask HandleAsync(EventEnvelope envelope, OrderPlaced payload, CancellationToken cancellationToken) => default;
            }

            public static class Shipping
            {
                internal sealed class Tracker : IEventHandler<OrderPlaced>, IEventHandler<OrderShipped>
                {
                    public ValueTask HandleAsync(EventEnvelope envelope, OrderPlaced payload, CancellationToken cancellationToken) => default;

                    public ValueTask HandleAsync(EventEnvelope envelope, OrderShipped payload, CancellationToken cancellationToken) => default;
                }
            }
            """);

        outcome.GeneratorDiagnostics.Should().BeEmpty();
        outcome.CompilerDiagnostics.Should().BeEmpty();
        GeneratorHarness.MatchesSnapshot(outcome.Generated, "TypedHandlers");
    }

    [Fact]
    public void EnvelopeHandlers_InterfacePayloads_BaseClasses_AndQueries()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("""
            using System.Threading;
            using System.Threading.Tasks;
            using EventBus;

            namespace Shop.Audit;

            public interface IAuditable;

            [EventHandler(Pattern = "#")]
            public sealed class AuditTrail : IEventHandler
            {
                public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) => default;
            }

            public abstract class HandlerBase<T> : IEventHandler<T>
            {
                public abstract ValueTask HandleAsync(EventEnvelope envelope, T payload, CancellationToken cancellationToken);
            }

            public sealed class AuditableHandler : HandlerBase<IAuditable>
            {
                public override ValueTask HandleAsync(EventEnvelope envelope, IAuditable payload, CancellationToken cancellationToken) => default;
            }

            public sealed record Balance(string Account) : IQuery<decimal>;

            [EventHandler(SubscriberId = "balances", Concurrency = 2)]
            public sealed class BalanceHandler : IQueryHandler<Balance, decimal>
            {
                public ValueTask<decimal> HandleAsync(EventEnvelope envelope, Balance query, CancellationToken cancellationToken) => default;
            }

            public sealed class NotAHandler : System.IDisposable
            {
                public void Dispose()
                {
                }
            }
            """);

        outcome.GeneratorDiagnostics.Should().BeEmpty();
        outcome.CompilerDiagnostics.Should().BeEmpty();
        GeneratorHarness.MatchesSnapshot(outcome.Generated, "EnvelopeInterfaceAndQueryHandlers");
    }

    [Fact]
    public void AnAssemblyWithoutHandlers_StillGetsAddEventHandlers()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("""
            namespace Shop.Empty;

            public sealed class Nothing;
            """, assemblyName: "Shop.Empty");

        outcome.CompilerDiagnostics.Should().BeEmpty();
        GeneratorHarness.MatchesSnapshot(outcome.Generated, "NoHandlers");
    }
}
