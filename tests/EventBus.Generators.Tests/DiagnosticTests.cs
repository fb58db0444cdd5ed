using EventBus.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace EventBus.Generators.Tests;

/// <summary>Each mistake the generator reports: its id, severity, place and a message that says what to do; the handler in error is left out.</summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using EventBus;

        namespace Shop;

        public sealed record Placed(int Id);

        """;

    [Fact]
    public void APrivateHandler_IsEB0001_AndNotRegistered()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Usings + """
            public sealed class Outer
            {
                private sealed class Hidden : IEventHandler<Placed>
                {
                    public ValueTask HandleAsync(EventEnvelope envelope, Placed payload, CancellationToken cancellationToken) => default;
                }
            }
            """);

        Diagnostic diagnostic = outcome.GeneratorDiagnostics.Should().ContainSingle().Which;
        diagnostic.Id.Should().Be("EB0001");
        diagnostic.Severity.Should().Be(DiagnosticSeverity.Error);
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Should().Be("'Shop.Outer.Hidden' is private, so AddEventHandlers() can not register event handler 'Shop.Outer.Hidden'; make it public or internal (and every class it is nested in)");
        diagnostic.Location.GetLineSpan().StartLinePosition.Line.Should().Be(9, "it points at the handler's declaration (line 10, counted from 0)");
        outcome.Generated.Should().NotContain("Hidden");
    }

    [Fact]
    public void APayloadTypeNestedInAPrivateClass_IsEB0001()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Usings + """
            public sealed class Outer
            {
                private sealed class Secret
                {
                    public sealed record Payload;
                }

                public sealed class Visible : IEventHandler<Secret.Payload>
                {
                    public ValueTask HandleAsync(EventEnvelope envelope, Secret.Payload payload, CancellationToken cancellationToken) => default;
                }
            }
            """);

        outcome.GeneratorDiagnostics.Should().ContainSingle().Which.GetMessage(System.Globalization.CultureInfo.InvariantCulture)
            .Should().Contain("'Shop.Outer.Secret.Payload' is nested in private 'Shop.Outer.Secret'").And.Contain("'Shop.Outer.Visible'");
    }

    [Fact]
    public void AnOpenGenericHandler_IsEB0002()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Usings + """
            public sealed class Forwarder<T> : IEventHandler<T>
            {
                public ValueTask HandleAsync(EventEnvelope envelope, T payload, CancellationToken cancellationToken) => default;
            }
            """);

        Diagnostic diagnostic = outcome.GeneratorDiagnostics.Should().ContainSingle().Which;
        diagnostic.Id.Should().Be("EB0002");
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Should().Contain("'Shop.Forwarder<T>' is generic").And.Contain("AddPayloadHandler");
        outcome.Generated.Should().NotContain("Forwarder");
    }

    [Fact]
    public void TwoHandlersWithOneSubscriberId_AreEB0003()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Usings + """
            namespace Billing
            {
                public sealed class Audit : IEventHandler<Placed>
                {
                    public ValueTask HandleAsync(EventEnvelope envelope, Placed payload, CancellationToken cancellationToken) => default;
                }
            }

            namespace Shipping
            {
                public sealed class Audit : IEventHandler<Placed>
                {
                    public ValueTask HandleAsync(EventEnvelope envelope, Placed payload, CancellationToken cancellationToken) => default;
                }
            }
            """);

        Diagnostic diagnostic = outcome.GeneratorDiagnostics.Should().ContainSingle().Which;
        diagnostic.Id.Should().Be("EB0003");
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Should().Be("Event handlers 'Shop.Billing.Audit' and 'Shop.Shipping.Audit' both have the subscriber id 'Audit'; give one of them another with [EventHandler(SubscriberId = \"...\")]");
    }

    [Fact]
    public void AnEnvelopeHandlerWithoutAPattern_IsReported_AndNotRegistered()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Usings + """
            public sealed class Everything : IEventHandler
            {
                public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) => default;
            }
            """);

        Diagnostic diagnostic = outcome.GeneratorDiagnostics.Should().ContainSingle().Which;
        // Information, not a warning: an envelope handler registered by code with its own pattern is no mistake.
        (diagnostic.Id, diagnostic.Severity).Should().Be(("EB0004", DiagnosticSeverity.Info));
        outcome.Generated.Should().NotContain("Everything");
    }

    [Theory]
    [InlineData("Concurrency = -1", "sets Concurrency to -1")]
    [InlineData("TimeoutMilliseconds = -5", "sets TimeoutMilliseconds to -5")]
    [InlineData("MaxAttempts = -2", "sets MaxAttempts to -2")]
    [InlineData("RetryDelayMilliseconds = -3", "sets RetryDelayMilliseconds to -3")]
    [InlineData("SubscriberId = \" \"", "sets SubscriberId to an empty name")]
    [InlineData("Pattern = \"\"", "sets Pattern to an empty pattern")]
    public void AnInvalidSetting_IsEB0005_NamingTheSettingAndTheFix(string setting, string expected)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Usings + $$"""
            [EventHandler({{setting}})]
            public sealed class Tuned : IEventHandler<Placed>
            {
                public ValueTask HandleAsync(EventEnvelope envelope, Placed payload, CancellationToken cancellationToken) => default;
            }
            """);

        Diagnostic diagnostic = outcome.GeneratorDiagnostics.Should().ContainSingle().Which;
        diagnostic.Id.Should().Be("EB0005");
        diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Should().Contain("'Shop.Tuned' " + expected).And.Contain("; ");
        outcome.Generated.Should().NotContain("Tuned");
    }

    [Fact]
    public void ACompilationWithoutEventBus_GetsNothing()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("namespace Other; public sealed class Plain;", withEventBus: false);

        outcome.Generated.Should().BeNull();
        outcome.GeneratorDiagnostics.Should().BeEmpty();
    }
}
