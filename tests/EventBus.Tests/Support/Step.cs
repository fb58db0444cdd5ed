namespace EventBus.Tests.Support;

/// <summary>The payload of ordering tests: the n-th event of a key.</summary>
/// <param name="Key">The key's index.</param>
/// <param name="Number">The event's place among its key's events, from 0.</param>
internal sealed record Step(int Key, int Number);
