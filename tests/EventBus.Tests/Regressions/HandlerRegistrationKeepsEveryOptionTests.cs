using System.Reflection;
using EventBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EventBus.Tests.Regressions;

/// <summary>
/// <c>AddEventHandler</c> and <c>AddPayloadHandler</c> copied only four of the subscription's options, so a handler
/// registered with a retry policy, a timeout or without dead letters silently ran with the bus defaults. Every option
/// is now carried, and a test walks every public property so that an option added later can not be dropped again.
/// </summary>
public sealed class HandlerRegistrationKeepsEveryOptionTests
{
    [Fact]
    public async Task AHandlerRegisteredWithARetryPolicy_IsRetried()
    {
        FlakyHandler.Reset(failures: 2);
        await using ServiceProvider provider = new ServiceCollection()
            .AddEventBus(o => o.WorkerCount = 1)
            .AddEventHandler<FlakyHandler>(EventFilter.Type("flaky.event"), new SubscriptionOptions { Retry = RetryPolicy.Fixed(3, TimeSpan.Zero) })
            .Services.BuildServiceProvider();
        IEventBus bus = provider.GetRequiredService<IEventBus>();
        await bus.StartAsync();

        PublishReport report = await bus.PublishAndWaitAsync(Buses.Event("flaky.event")).Within();

        report.Succeeded.Should().BeTrue("the policy allows three attempts and the handler fails only twice");
        FlakyHandler.Attempts.Should().Be(3);
    }

    [Fact]
    public void EveryPublicSubscriptionOption_ReachesTheSubscription_ForBothRegistrations()
    {
        SubscriptionOptions configured = new()
        {
            SubscriberId = "carried",
            Concurrency = 3,
            BufferCapacity = 17,
            FullMode = SubscriptionFullMode.Wait,
            Retry = RetryPolicy.Fixed(4, TimeSpan.FromMilliseconds(5)),
            HandlerTimeout = TimeSpan.FromSeconds(7),
            DeadLetter = false,
        };
        PropertyInfo[] properties = typeof(SubscriptionOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        SubscriptionOptions defaults = new();
        foreach (PropertyInfo property in properties)
        {
            // Guards the guard: every option must be set above to something other than its default.
            property.GetValue(configured).Should().NotBe(property.GetValue(defaults), $"the test must set SubscriptionOptions.{property.Name} to a non-default value");
        }

        ServiceCollection services = new();
        services.AddEventBus()
            .AddEventHandler<FlakyHandler>(EventFilter.All, configured)
            .AddPayloadHandler<PayloadHandler, string>(options: configured);
        using ServiceProvider provider = services.BuildServiceProvider();
        RecordingSubscriber subscriber = new();
        foreach (HandlerRegistration registration in provider.GetServices<HandlerRegistration>())
        {
            registration.Subscribe(provider, subscriber);
        }

        subscriber.Options.Should().HaveCount(2);
        foreach (SubscriptionOptions received in subscriber.Options)
        {
            foreach (PropertyInfo property in properties)
            {
                object? expected = property.GetValue(configured);
                object? actual = property.GetValue(received);
                if (expected is RetryPolicy policy)
                {
                    ((RetryPolicy)actual!).MaxAttempts.Should().Be(policy.MaxAttempts, $"SubscriptionOptions.{property.Name} must be carried");
                }
                else
                {
                    actual.Should().Be(expected, $"SubscriptionOptions.{property.Name} must be carried");
                }
            }
        }
    }

    private sealed class RecordingSubscriber : IEventSubscriber
    {
        public List<SubscriptionOptions> Options { get; } = [];

        public IReadOnlyList<ISubscription> Subscriptions => [];

        public ISubscription Subscribe(EventFilter filter, Func<EventEnvelope, CancellationToken, ValueTask> handler, SubscriptionOptions? options = null)
        {
            Options.Add(options!);
            return null!;
        }
    }

    public sealed class FlakyHandler : IEventHandler
    {
        private static int s_attempts;
        private static int s_failures;

        public static int Attempts => Volatile.Read(ref s_attempts);

        public static void Reset(int failures)
        {
            s_attempts = 0;
            s_failures = failures;
        }

        public ValueTask HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref s_attempts) <= s_failures ? throw new InvalidOperationException("flaky") : ValueTask.CompletedTask;
    }

    public sealed class PayloadHandler : IEventHandler<string>
    {
        public ValueTask HandleAsync(EventEnvelope envelope, string payload, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
