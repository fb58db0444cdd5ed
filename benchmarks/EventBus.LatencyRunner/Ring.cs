namespace EventBus.LatencyRunner;

/// <summary>Pre-built envelopes with their probes, so the measured loop allocates nothing of its own.</summary>
internal sealed class Ring
{
    public const int Size = 1 << 16;

    public Ring(int keys)
    {
        Envelopes = new EventEnvelope[Size];
        Probes = new LatencyProbe[Size];
        for (int i = 0; i < Size; i++)
        {
            Probes[i] = new LatencyProbe();
            Envelopes[i] = new EventBuilder("latency.probe").WithWorkflow("wf-" + (i % keys)).WithData(Probes[i]).Build();
        }
    }

    public EventEnvelope[] Envelopes { get; }

    public LatencyProbe[] Probes { get; }
}
