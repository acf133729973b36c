using AviOrleans.Persistence;
using AviOrleans.Persistence.Leases;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// The guard's half of a killed silo's hand-off: once the guard has removed every marked address of its dead silo,
/// it revokes the silo's lease, which the takeover gate reads as "withdrew for good" (README.md, G2), so survivors
/// take over when the silo is declared dead rather than a fencing window after its last renewal.
/// </summary>
/// <remarks>
/// Safe because the silo is gone (its process exited: nothing of it can add an address again) and its addresses are
/// gone (the guard removed them before). The revoke is conditioned on the epoch just read, so a renewal or acquisition
/// the silo sent before it died and the store runs later either lands first (the revoke fails and the guard reads
/// again) or fails against the revoked lease.
/// </remarks>
internal sealed class GuardLeaseHandOff(TextWriter error) : IAsyncDisposable
{
    /// <summary>The input line that says where the lease store is (<see cref="LeaseStoreLocation.ToJson"/> follows).</summary>
    public const string StoreLine = "lease-store";

    /// <summary>The input line that names the silo's own lease (owned by the same name).</summary>
    public const string LeaseLine = "lease";

    private static readonly TimeSpan RevokeBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private RelationalLeaseStore? _store;
    private string? _name;

    /// <summary>Takes a <see cref="StoreLine"/> or <see cref="LeaseLine"/>; false for any other line.</summary>
    public bool Accept(string line)
    {
        var parts = line.Split(' ', 2);
        switch (parts)
        {
            case [StoreLine, var json]:
                Open(json);
                return true;
            case [LeaseLine, var name] when name.Length is > 0 and <= LeaseArguments.MaxNameLength:
                lock (_lock)
                {
                    _name = name;
                }

                Warm();
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Revokes the dead silo's lease, within a bound; says on the error output what happened. Call only after the
    /// silo's process is gone and every marked address was removed.
    /// </summary>
    public async Task RevokeAsync()
    {
        RelationalLeaseStore? store;
        string? name;
        lock (_lock)
        {
            (store, name) = (_store, _name);
        }

        if (store is null || name is null)
        {
            await error.WriteLineAsync("vip-guard: the silo named no lease store; survivors wait out its fencing window").ConfigureAwait(false);
            return;
        }

        using var bound = new CancellationTokenSource(RevokeBound);
        try
        {
            while (true)
            {
                try
                {
                    var revoked = await SiloLeases.RevokeWhileOwnAsync(store, name, "guard:" + name, bound.Token).ConfigureAwait(false);
                    await error.WriteLineAsync(revoked is not null
                        ? $"vip-guard: revoked lease {name}: survivors may take its addresses now"
                        : $"vip-guard: lease {name} is not the silo's any more (revoked, or never acquired): nothing to revoke").ConfigureAwait(false);
                    return;
                }
                catch (StoreException ex)
                {
                    await error.WriteLineAsync($"vip-guard: revoking lease {name} failed, trying again: {ex.Message}").ConfigureAwait(false);
                    await Task.Delay(RetryDelay, bound.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            await error.WriteLineAsync($"vip-guard: lease {name} not revoked within {RevokeBound.TotalSeconds:0} s; survivors wait out its fencing window").ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        RelationalLeaseStore? store;
        lock (_lock)
        {
            (store, _store) = (_store, null);
        }

        if (store is not null)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Open(string json)
    {
        RelationalLeaseStore store;
        try
        {
            store = LeaseStoreLocation.Parse(json).Open();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            error.WriteLine($"vip-guard: unusable lease store ({ex.Message}); survivors of a crash wait out the fencing window");
            return;
        }

        RelationalLeaseStore? previous;
        lock (_lock)
        {
            (previous, _store) = (_store, store);
        }

        previous?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Warm();
    }

    /// <summary>Reads the lease once, in the background, as soon as both lines came: the connection and the schema
    /// check are then done before the silo's death needs them, and a store the guard cannot reach is said at start.</summary>
    private void Warm()
    {
        RelationalLeaseStore? store;
        string? name;
        lock (_lock)
        {
            (store, name) = (_store, _name);
        }

        if (store is null || name is null)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                using var bound = new CancellationTokenSource(RevokeBound);
                await store.ReadAsync(name, bound.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StoreException or OperationCanceledException or ObjectDisposedException)
            {
                await error.WriteLineAsync($"vip-guard: the lease store cannot be read yet ({ex.Message}); it is tried again if the silo dies").ConfigureAwait(false);
            }
        });
    }
}
