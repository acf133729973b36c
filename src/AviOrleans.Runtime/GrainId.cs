using System.Text;

namespace AviOrleans.Runtime;

/// <summary>A grain's identity: its grain type and its string key. The text form is <c>type/key</c>.</summary>
public readonly record struct GrainId
{
    /// <summary>Creates a grain id.</summary>
    public GrainId(string type, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(key);
        if (type.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A grain type may not contain '/': '{type}'.", nameof(type));
        }

        Type = type;
        Key = key;
    }

    /// <summary>The grain type, e.g. <c>counter</c>.</summary>
    public string Type { get; }

    /// <summary>The key within the type.</summary>
    public string Key { get; }

    /// <summary>
    /// A hash that is the same in every process and every run (unlike <see cref="string.GetHashCode()"/>):
    /// placement and the directory use it, so every silo computes the same owner.
    /// </summary>
    public uint GetUniformHashCode() => StableHash.Combine(StableHash.Compute(Type), StableHash.Compute(Key));

    /// <inheritdoc/>
    public override string ToString() => Type + "/" + Key;

    /// <summary>Parses the form written by <see cref="ToString"/>: the type ends at the first '/'.</summary>
    public static GrainId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new FormatException($"'{text}' is not a grain id of the form type/key.");
        }

        return new GrainId(text[..slash], text[(slash + 1)..]);
    }
}
