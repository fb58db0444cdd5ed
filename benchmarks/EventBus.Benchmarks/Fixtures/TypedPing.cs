namespace EventBus.Benchmarks;

/// <summary>The payload the typed publishing benchmarks publish as an object (<c>typed.ping</c> by convention).</summary>
/// <param name="Value">A value.</param>
public sealed record TypedPing(int Value);
