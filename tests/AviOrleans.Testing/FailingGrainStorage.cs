using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AviOrleans.Testing;

/// <summary>
/// Grain storage kept in memory with ETags, whose writes fail with an <see cref="IOException"/>
/// while <see cref="FailWrites"/> is set: a store that is full or unreachable. One flag for the
/// process: only <see cref="HaTestCluster.StartWithFailingStorageAsync"/> clusters use this storage.
/// </summary>
internal sealed class FailingGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string, GrainId), (object State, string ETag)> _items = new();
    private long _version;

    public static bool FailWrites { get; set; }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_items.TryGetValue((stateName, grainId), out var item))
        {
            grainState.State = (T)item.State;
            grainState.ETag = item.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (FailWrites)
        {
            throw new IOException("No space left on device (the test's failing storage).");
        }

        var key = (stateName, grainId);
        if (_items.TryGetValue(key, out var current) ? current.ETag != grainState.ETag : grainState.ETag is not null)
        {
            throw new InconsistentStateException("ETag mismatch", current.ETag ?? "none", grainState.ETag ?? "none");
        }

        var etag = Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _items[key] = (grainState.State!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _items.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
