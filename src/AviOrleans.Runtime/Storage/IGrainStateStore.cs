namespace AviOrleans.Runtime.Storage;

/// <summary>
/// Persistent grain state with optimistic concurrency. A grain is identified by its type name and string key.
/// A write or clear presents the ETag it last read (null for "never written"); a mismatch throws
/// <see cref="InconsistentStateException"/> and changes nothing. An unreachable store throws
/// <see cref="StoreUnavailableException"/>. An empty grain type or a null key throws <see cref="ArgumentException"/>.
/// An ETag is never handed out twice for one grain, not even after a clear, so a stale writer can never match again.
/// </summary>
public interface IGrainStateStore
{
    /// <summary>Reads the state, or null when it was never written or has been cleared.</summary>
    Task<GrainStateRecord?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken);

    /// <summary>Writes the state if the stored ETag equals <paramref name="expectedETag"/>.</summary>
    /// <returns>The new ETag.</returns>
    Task<string> WriteAsync(string grainType, string grainKey, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>Deletes the state if the stored ETag equals <paramref name="expectedETag"/>; a later read gives null.</summary>
    Task ClearAsync(string grainType, string grainKey, string? expectedETag, CancellationToken cancellationToken);
}
