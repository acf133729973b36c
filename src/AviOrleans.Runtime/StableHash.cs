using System.Text;

namespace AviOrleans.Runtime;

/// <summary>
/// A process-independent 32-bit hash (FNV-1a over UTF-8, then the murmur3 finalizer for avalanche), used for
/// placement: every silo must compute the same value for the same text.
/// </summary>
public static class StableHash
{
    /// <summary>Hashes the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static uint Compute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> stack = stackalloc byte[256];
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = max <= stack.Length ? stack : new byte[max];
        var length = Encoding.UTF8.GetBytes(text, bytes);
        return Compute(bytes[..length]);
    }

    /// <summary>Hashes bytes.</summary>
    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return Mix(hash);
    }

    /// <summary>Combines two hashes (order matters).</summary>
    public static uint Combine(uint first, uint second) => Mix((first * 31) + second);

    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6bu;
        h ^= h >> 13;
        h *= 0xc2b2ae35u;
        h ^= h >> 16;
        return h;
    }
}
