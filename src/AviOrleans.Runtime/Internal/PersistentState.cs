using AviOrleans.Runtime.Serialization;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.Internal;

/// <summary>A grain's persisted state over <see cref="IGrainStateStore"/>, keyed by <c>grainType.stateName</c> and the grain key.</summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IStateLoader
    where TState : new()
{
    private readonly IGrainStateStore _store;
    private readonly GrainSerializer _serializer;
    private readonly string _storeType;
    private readonly string _key;

    public PersistentState(IGrainStateStore store, GrainSerializer serializer, GrainId grainId, string stateName)
    {
        _store = store;
        _serializer = serializer;
        _storeType = grainId.Type + "." + stateName;
        _key = grainId.Key;
    }

    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists => Etag is not null;

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var record = await _store.ReadAsync(_storeType, _key, cancellationToken).ConfigureAwait(true);
        if (record is null)
        {
            State = new();
            Etag = null;
        }
        else
        {
            State = _serializer.Deserialize<TState>(record.Payload.Span);
            Etag = record.ETag;
        }
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = _serializer.SerializeToBytes(State);
        Etag = await _store.WriteAsync(_storeType, _key, payload, Etag, cancellationToken).ConfigureAwait(true);
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await _store.ClearAsync(_storeType, _key, Etag, cancellationToken).ConfigureAwait(true);
        Etag = null;
        State = new();
    }
}
