namespace EventBus.Tests.Publishing;

/// <summary>
/// A report's counts are read after every publish-and-wait (<c>Succeeded</c> above all). They walked the outcomes with
/// <c>foreach</c> over the <c>IReadOnlyList</c>, which allocates an enumerator on every read; they now index.
/// </summary>
public sealed class PublishReportTests
{
    [Fact]
    public void Counts_AreRightAndReadingThemAllocatesNothing()
    {
        PublishReport report = new(Guid.NewGuid(),
        [
            new DeliveryOutcome { SubscriptionId = Guid.NewGuid(), SubscriberId = "a", Result = DeliveryResult.Handled },
            new DeliveryOutcome { SubscriptionId = Guid.NewGuid(), SubscriberId = "b", Result = DeliveryResult.Failed },
            new DeliveryOutcome { SubscriptionId = Guid.NewGuid(), SubscriberId = "c", Result = DeliveryResult.Handled },
        ]);
        _ = report.Succeeded; // the first read may compile code; measure the later ones

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool succeeded = report.Succeeded;
        int handled = report.HandledCount;
        int failed = report.FailedCount;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        succeeded.Should().BeFalse();
        handled.Should().Be(2);
        failed.Should().Be(1);
        allocated.Should().Be(0);
    }
}
