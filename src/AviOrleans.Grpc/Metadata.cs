using System.Collections;

namespace AviOrleans.Grpc;

/// <summary>An ordered list of gRPC metadata entries (request headers, response trailers).</summary>
public sealed class Metadata : IReadOnlyList<MetadataEntry>
{
    private readonly List<MetadataEntry> _entries = [];

    /// <inheritdoc/>
    public int Count => _entries.Count;

    /// <inheritdoc/>
    public MetadataEntry this[int index] => _entries[index];

    /// <summary>Adds a text entry.</summary>
    public void Add(string key, string value) => _entries.Add(new MetadataEntry(key, value));

    /// <summary>Adds a binary entry (key ending with <c>-bin</c>).</summary>
    public void Add(string key, byte[] valueBytes) => _entries.Add(new MetadataEntry(key, valueBytes));

    /// <summary>Adds an entry.</summary>
    public void Add(MetadataEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _entries.Add(entry);
    }

    /// <summary>The first entry with <paramref name="key"/>, or null.</summary>
    public MetadataEntry? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The text value of the first entry with <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The binary value of the first entry with <paramref name="key"/>, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <summary>Removes every entry with <paramref name="key"/>; returns how many were removed.</summary>
    public int Remove(string key) => _entries.RemoveAll(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public IEnumerator<MetadataEntry> GetEnumerator() => _entries.GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
