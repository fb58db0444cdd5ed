namespace EventBus.Tests.Support;

/// <summary>Records the steps each key's handler saw, to check that every key saw its events in publish order.</summary>
internal sealed class SequenceRecorder(int keys)
{
    private readonly List<int>[] _byKey = [.. Enumerable.Range(0, keys).Select(_ => new List<int>())];

    public void Record(Step step)
    {
        List<int> list = _byKey[step.Key];
        lock (list)
        {
            list.Add(step.Number);
        }
    }

    public void AssertEveryKeyInOrder(int perKey)
    {
        foreach (List<int> list in _byKey)
        {
            list.Should().Equal(Enumerable.Range(0, perKey));
        }
    }
}
