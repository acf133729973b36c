using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace AviOrleans.Cli.Internal;

/// <summary>One kind of configuration object as avictl handles it (Avi's CLI name, its calls, its table).</summary>
internal sealed class ObjectKind
{
    public required string Name { get; init; }

    public required MessageDescriptor Descriptor { get; init; }

    /// <summary>Output-only fields, which cannot be set.</summary>
    public required IReadOnlySet<string> ReadOnly { get; init; }

    public required Func<AviClient, string, Task<IMessage>> Get { get; init; }

    public required Func<AviClient, IMessage, bool, Task<IMessage>> Create { get; init; }

    public required Func<AviClient, IMessage, FieldMask, bool, Task<IMessage>> Update { get; init; }

    public required Func<AviClient, string, Task> Delete { get; init; }

    /// <summary>Every object (of one group when the kind has groups), following the pages.</summary>
    public required Func<AviClient, string?, Task<IReadOnlyList<IMessage>>> List { get; init; }

    /// <summary>The list as a table for people.</summary>
    public required Func<IEnumerable<IMessage>, string> Table { get; init; }

    /// <summary>True when List can be narrowed to one group.</summary>
    public bool HasGroup { get; init; }

    /// <summary>A new message of this kind named <paramref name="name"/>.</summary>
    public IMessage New(string name)
    {
        var message = (IMessage)Activator.CreateInstance(Descriptor.ClrType)!;
        Descriptor.FindFieldByName("name").Accessor.SetValue(message, name);
        return message;
    }
}
