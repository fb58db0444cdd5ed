using System.Reflection;
using global::RabbitMQ.Client;

namespace EventBus.RabbitMQ.Tests.Inbound;

/// <summary>
/// An <see cref="IChannel"/> that only takes acknowledgements: it records each (tag, multiple), can hold them at a gate,
/// and can fail them; any other call throws.
/// </summary>
public class RecordingChannel : DispatchProxy
{
    private readonly List<(ulong Tag, bool Multiple)> _acks = [];

    /// <summary>Gets or sets a gate each acknowledgement waits for; null sends at once.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Gets or sets a failure every acknowledgement throws.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Gets a signal set when the first acknowledgement arrived.</summary>
    public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(ulong Tag, bool Multiple)> Acks
    {
        get
        {
            lock (_acks)
            {
                return [.. _acks];
            }
        }
    }

    public static (IChannel Channel, RecordingChannel Recorder) Create()
    {
        IChannel channel = Create<IChannel, RecordingChannel>();
        return (channel, (RecordingChannel)(object)channel);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod?.Name != nameof(IChannel.BasicAckAsync))
        {
            throw new NotSupportedException(targetMethod?.Name);
        }

        // Handed back as the proxy's result, which the caller awaits once.
        return new ValueTask(AckAsync((ulong)args![0]!, (bool)args[1]!));
    }

    private async Task AckAsync(ulong tag, bool multiple)
    {
        FirstArrived.TrySetResult();
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        lock (_acks)
        {
            _acks.Add((tag, multiple));
        }
    }
}
