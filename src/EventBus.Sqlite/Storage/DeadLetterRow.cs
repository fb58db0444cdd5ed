namespace EventBus.Sqlite;

/// <summary>A dead letter turned into column values on the saver's thread, like <see cref="StoredRow"/> for events.</summary>
internal sealed class DeadLetterRow(DeadLetter letter, PayloadSerializer payloads)
{
    public DeadLetter Letter { get; } = letter;

    public StoredRow Event { get; } = new(letter.Event, payloads);

    public byte[] Id { get; } = letter.Id.ToByteArray(bigEndian: true);
}
