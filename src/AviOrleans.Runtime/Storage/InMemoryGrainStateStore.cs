using System.Globalization;

namespace AviOrleans.Runtime.Storage;

/// <summary>
/// Grain state in memory, for tests: the same ETag contract as the durable stores, and a switch that makes
/// it play a store that is down.
/// </summary>
public sealed class InMemoryGrainStateStore : IGrainStateStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Type, string Key), (byte[] Payload, long Version)> _states = [];
    private long _nextVersion;

    /// <summary>When false every call throws <see cref="StoreUnavailableException"/>. Default: true.</summary>
    public bool IsAvailable { get; set; } = true;

    /// <inheritdoc/>
    public Task<GrainStateRecord?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken)
    {
        ValidateKey(grainType, grainKey);
        lock (_lock)
        {
            ThrowIfUnavailable();
            return Task.FromResult(_states.TryGetValue((grainType, grainKey), out var stored)
                ? new GrainStateRecord(stored.Payload.ToArray(), ToETag(stored.Version))
                : null);
        }
    }

    /// <inheritdoc/>
    public Task<string> WriteAsync(string grainType, string grainKey, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken)
    {
        ValidateKey(grainType, grainKey);
        lock (_lock)
        {
            ThrowIfUnavailable();
            CheckETag(grainType, grainKey, expectedETag);

            // Versions come from one counter for the whole store, so a cleared-then-rewritten grain never
            // reuses an ETag that a stale activation might still hold.
            var version = ++_nextVersion;
            _states[(grainType, grainKey)] = (payload.ToArray(), version);
            return Task.FromResult(ToETag(version));
        }
    }

    /// <inheritdoc/>
    public Task ClearAsync(string grainType, string grainKey, string? expectedETag, CancellationToken cancellationToken)
    {
        ValidateKey(grainType, grainKey);
        lock (_lock)
        {
            ThrowIfUnavailable();
            CheckETag(grainType, grainKey, expectedETag);
            _states.Remove((grainType, grainKey));
            return Task.CompletedTask;
        }
    }

    private void CheckETag(string grainType, string grainKey, string? expectedETag)
    {
        var stored = _states.TryGetValue((grainType, grainKey), out var s) ? ToETag(s.Version) : null;
        if (stored != expectedETag)
        {
            throw new InconsistentStateException(grainType, grainKey, expectedETag, stored);
        }
    }

    // The same argument checks as the durable stores, so bad input fails alike everywhere and changes nothing.
    private static void ValidateKey(string grainType, string grainKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(grainType);
        ArgumentNullException.ThrowIfNull(grainKey);
    }

    private static string ToETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private void ThrowIfUnavailable()
    {
        if (!IsAvailable)
        {
            throw new StoreUnavailableException("The in-memory grain state store is switched off.");
        }
    }
}
