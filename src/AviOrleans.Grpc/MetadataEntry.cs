using System.Text;

namespace AviOrleans.Grpc;

/// <summary>One metadata (header or trailer) entry: a lowercase key and a text or binary value.</summary>
public sealed class MetadataEntry
{
    /// <summary>The suffix that marks a binary entry, sent base64-encoded.</summary>
    public const string BinarySuffix = "-bin";

    private readonly string? _value;
    private readonly byte[]? _valueBytes;

    /// <summary>Creates a text entry.</summary>
    public MetadataEntry(string key, string value)
    {
        Key = NormalizeKey(key);
        ArgumentNullException.ThrowIfNull(value);
        if (IsBinaryKey(Key))
        {
            throw new ArgumentException($"Key '{Key}' ends with '{BinarySuffix}' and needs a binary value.", nameof(key));
        }

        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                throw new ArgumentException("A text metadata value must be printable ASCII (0x20-0x7E).", nameof(value));
            }
        }

        _value = value;
    }

    /// <summary>Creates a binary entry; the key must end with <c>-bin</c>.</summary>
    public MetadataEntry(string key, byte[] valueBytes)
    {
        Key = NormalizeKey(key);
        ArgumentNullException.ThrowIfNull(valueBytes);
        if (!IsBinaryKey(Key))
        {
            throw new ArgumentException($"A binary entry's key must end with '{BinarySuffix}'.", nameof(key));
        }

        _valueBytes = valueBytes;
    }

    /// <summary>The lowercase key.</summary>
    public string Key { get; }

    /// <summary>Whether the entry carries binary data.</summary>
    public bool IsBinary => _valueBytes is not null;

    /// <summary>The text value; for a binary entry, its base64 text.</summary>
    public string Value => _value ?? Convert.ToBase64String(_valueBytes!);

    /// <summary>The binary value; for a text entry, its ASCII bytes.</summary>
    public byte[] ValueBytes => _valueBytes ?? Encoding.ASCII.GetBytes(_value!);

    /// <summary>Whether <paramref name="key"/> names a binary entry.</summary>
    public static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override string ToString() => $"{Key}: {Value}";

    private static string NormalizeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var lower = key.ToLowerInvariant();
        foreach (var c in lower)
        {
            // Spec: header names are [0-9a-z_.-].
            if (!(c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c is '_' or '.' or '-'))
            {
                throw new ArgumentException($"Metadata key '{key}' may only contain 0-9, a-z, '_', '.' and '-'.", nameof(key));
            }
        }

        return lower;
    }
}
