namespace EventBus.Generators.Tests.Handlers;

/// <summary>What the handlers did, in order; one per test's service provider.</summary>
public sealed class Journal
{
    private readonly List<string> _lines = [];

    /// <summary>Gets the two handlings that wait for each other.</summary>
    public TaskCompletionSource BothInside { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _inside;

    /// <summary>Gets a copy of the lines.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Counts one more handling inside the rendezvous handler.</summary>
    /// <returns>How many are inside now.</returns>
    public int Enter() => Interlocked.Increment(ref _inside);

    /// <summary>Adds a line.</summary>
    /// <param name="line">The line.</param>
    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}
