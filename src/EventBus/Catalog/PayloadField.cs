namespace EventBus;

/// <summary>One field of a <see cref="PayloadSchema"/>: its name, its .NET type and whether it must be present.</summary>
public sealed class PayloadField
{
    /// <summary>Initializes a new instance of the <see cref="PayloadField"/> class.</summary>
    /// <param name="name">The field's name, as a payload dictionary key or a payload property name.</param>
    /// <param name="type">The type a present value must be assignable to.</param>
    /// <param name="required">Whether the field must be present and not null.</param>
    public PayloadField(string name, Type type, bool required = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(type);
        Name = name;
        Type = type;
        Required = required;
    }

    /// <summary>Gets the field's name.</summary>
    public string Name { get; }

    /// <summary>Gets the type a present value must be assignable to.</summary>
    public Type Type { get; }

    /// <summary>Gets a value indicating whether the field must be present and not null.</summary>
    public bool Required { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Type.Name}{(Required ? string.Empty : "?")}";
}
