namespace AviOrleans.Runtime;

/// <summary>
/// A grain's persisted state with optimistic concurrency. It is read before <see cref="Grain.OnActivateAsync"/>;
/// changes to <see cref="State"/> are in memory until <see cref="WriteStateAsync"/> completes. A write or clear
/// against a newer stored version throws <see cref="Storage.InconsistentStateException"/>, and the runtime then
/// deactivates the activation, so a stale duplicate cannot overwrite newer state.
/// </summary>
/// <typeparam name="TState">The state type; its JSON contract must come from a source-generated context the silo knows.</typeparam>
public interface IPersistentState<TState>
    where TState : new()
{
    /// <summary>The state. A new <typeparamref name="TState"/> when nothing is stored.</summary>
    TState State { get; set; }

    /// <summary>The ETag of the stored version this activation holds, or null when nothing is stored.</summary>
    string? Etag { get; }

    /// <summary>Whether a stored record exists.</summary>
    bool RecordExists { get; }

    /// <summary>Reads the state from the store, replacing <see cref="State"/>.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes <see cref="State"/>, conditional on <see cref="Etag"/>.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored state, conditional on <see cref="Etag"/>, and resets <see cref="State"/>.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
