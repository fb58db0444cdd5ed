namespace EventBus.Tests.Support;

/// <summary>Tests that count allocated bytes run alone, so other tests' allocations do not land in their measurement.</summary>
[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive;
