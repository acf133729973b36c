using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// Orleans' ADO.NET grain storage (<c>AdoNetGrainStorage</c>) on one of our databases: it joins the silo lifecycle
/// as the provider does (reading its queries at start), and driver failures become <see cref="StoreException"/>s
/// naming the provider and the grain. ETag conflicts stay Orleans' <c>InconsistentStateException</c>.
/// </summary>
internal sealed class StoreGrainStorage(IGrainStorage inner, StoreDatabase database, string name) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, $"reading state '{stateName}' of {grainId} (grain storage '{name}')",
            () => inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, $"writing state '{stateName}' of {grainId} (grain storage '{name}')",
            () => inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        StoreCall.RunAsync(database, $"clearing state '{stateName}' of {grainId} (grain storage '{name}')",
            () => inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
