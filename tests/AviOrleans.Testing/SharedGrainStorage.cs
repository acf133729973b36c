using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace AviOrleans.Testing;

/// <summary>
/// Grain storage for in-process test clusters that behaves like a database beside the cluster: one
/// store per cluster (service id) shared by all its silos, so state survives a silo that is killed
/// (Orleans' memory storage keeps state in grains that die with their silo), with ETag checks
/// (a stale write fails). Writes fail with an <see cref="IOException"/> while <see cref="FailWrites"/>
/// is set for the cluster: a store that is full or unreachable.
/// </summary>
internal sealed class SharedGrainStorage(IOptions<ClusterOptions> cluster) : IGrainStorage
{
    private static readonly ConcurrentDictionary<(string Service, string State, GrainId Grain), (object State, string ETag)> Items = new();
    private static readonly ConcurrentDictionary<string, bool> Failing = new();
    private static long s_version;

    private string Service => cluster.Value.ServiceId;

    public static void FailWrites(string serviceId, bool fail) => Failing[serviceId] = fail;

    /// <summary>
    /// Writes the stored state named <paramref name="stateName"/> of the grain keyed
    /// <paramref name="key"/> again, unchanged, under a new ETag: what another activation's write
    /// looks like to an activation that read the state before it. Returns false when there is none.
    /// </summary>
    public static bool Rewrite(string serviceId, string stateName, string key)
    {
        foreach (var item in Items.Where(i => i.Key.Service == serviceId && i.Key.State == stateName && i.Key.Grain.Key.ToString() == key))
        {
            var etag = Interlocked.Increment(ref s_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Items.TryUpdate(item.Key, (item.Value.State, etag), item.Value);
        }

        return false;
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Items.TryGetValue((Service, stateName, grainId), out var item))
        {
            grainState.State = (T)item.State;
            grainState.ETag = item.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Failing.GetValueOrDefault(Service))
        {
            throw new IOException("No space left on device (the test's failing storage).");
        }

        var key = (Service, stateName, grainId);
        var etag = Interlocked.Increment(ref s_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stored = (Clone(grainState.State), etag);
        var ok = grainState.ETag is null ? Items.TryAdd(key, stored) : Items.TryGetValue(key, out var current) && current.ETag == grainState.ETag && Items.TryUpdate(key, stored, current);
        if (!ok)
        {
            throw new InconsistentStateException("ETag mismatch: the state was written by someone else", Items.TryGetValue(key, out var now) ? now.ETag : "none", grainState.ETag ?? "none");
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Items.TryRemove((Service, stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    // A database keeps a copy: the grain may mutate its state object after writing it.
    private static object Clone<T>(T state) =>
        System.Text.Json.JsonSerializer.Deserialize<T>(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(state))!;
}
