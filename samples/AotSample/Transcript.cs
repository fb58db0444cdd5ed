namespace AotSample;

/// <summary>The lines the sample prints, in the order they happened.</summary>
public sealed class Transcript
{
    private readonly Lock _lock = new();

    /// <summary>Prints a line.</summary>
    /// <param name="line">The line.</param>
    public void Write(string line)
    {
        lock (_lock)
        {
            Console.WriteLine(line);
        }
    }
}
