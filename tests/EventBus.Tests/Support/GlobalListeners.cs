namespace EventBus.Tests.Support;

/// <summary>
/// Tests that attach process-wide listeners (an <see cref="System.Diagnostics.ActivityListener"/>, the OpenTelemetry
/// SDK) run alone: while a listener is attached, every bus in the process traces and enriches what it publishes.
/// </summary>
[CollectionDefinition(nameof(GlobalListeners), DisableParallelization = true)]
public sealed class GlobalListeners;
