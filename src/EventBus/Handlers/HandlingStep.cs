namespace EventBus;

/// <summary>The rest of a middleware pipeline, ending with the handler.</summary>
/// <returns>A task that completes when the rest of the pipeline is done.</returns>
public delegate ValueTask HandlingStep();
