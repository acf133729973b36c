using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// Orleans' ADO.NET grain storage (<c>AdoNetGrainStorage</c>) on one of our databases: it joins the silo lifecycle
/// as the provider does (reading its queries at start), and driver failures become <see cref="StoreException"/>s
/// naming the provider and the grain. ETag conflicts stay Orleans' <c>InconsistentStateException</c>.
/// </summary>
/// <remarks>
/// The 10.4.2 provider keys a record by the state name and the grain id's <em>key</em> only (its
/// <c>AdoGrainKey</c> drops the grain type), so two grain types with the same key and state name would share
/// one record: an SE grain "se-1" and another grain "se-1" would overwrite each other's state. The wrapper
/// therefore hands the provider the state name prefixed with the grain type, which the queries store in their
/// type column: one record per grain type, key and state name, as Orleans' other providers keep them.
/// </remarks>
internal sealed class StoreGrainStorage(IGrainStorage inner, StoreDatabase database, string name) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, $"reading state '{stateName}' of {grainId} (grain storage '{name}')",
            () => inner.ReadStateAsync(RecordName(stateName, grainId), grainId, grainState, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, $"writing state '{stateName}' of {grainId} (grain storage '{name}')",
            () => inner.WriteStateAsync(RecordName(stateName, grainId), grainId, grainState, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, $"clearing state '{stateName}' of {grainId} (grain storage '{name}')",
            () => inner.ClearStateAsync(RecordName(stateName, grainId), grainId, grainState, cancellationToken), cancellationToken);

    /// <summary>The name the provider stores a grain's state under: its grain type, then the state name.</summary>
    internal static string RecordName(string stateName, GrainId grainId) => $"{grainId.Type}/{stateName}";

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
