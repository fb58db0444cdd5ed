namespace EventBus.Tests.Storage;

public sealed class InMemoryDeadLetterStoreTests : DeadLetterStoreContract
{
    protected override Task<StoreUnderTest> CreateStoreAsync() => Task.FromResult(new StoreUnderTest(new InMemoryEventStore(timeProvider: Time)));
}
