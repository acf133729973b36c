using AviOrleans.Persistence;
using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// Keeps this silo generation's fencing lease: acquires it, renews it every R, and hands each success to the
/// self-fence stamped with the moment its request was sent. Calls overlap (at most two in flight), so one slow store
/// round trip does not stop the next renewal, and each is abandoned after <see cref="DataPlaneOptions.LeaseCallTimeout"/>.
/// </summary>
/// <remarks>
/// A lease lost by the store's clock (the store or the network was away for longer than W) is acquired again; every
/// acquisition first reads the silo's own membership row from the table and never happens once it is Dead. A lease
/// held by another owner has been revoked by a survivor that took the addresses over: the host stays fenced for good.
/// </remarks>
internal sealed partial class LeaseKeeper(
    SiloLeases leases,
    LivenessEvidence evidence,
    IMembershipTable membershipTable,
    ILocalSiloDetails localSilo,
    IOptions<DataPlaneOptions> options,
    TimeProvider timeProvider,
    ILogger<LeaseKeeper> logger) : IAsyncDisposable
{
    private const int MaxInFlight = 2;

    private readonly DataPlaneOptions _options = options.Value;
    private readonly string _leaseName = SiloLeases.NameOf(localSilo.SiloAddress);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<Task> _inFlight = [];
    private Task? _loop;
    private long? _epoch;
    private bool _revoked;
    private int _failures;
    private Task? _stop;

    /// <summary>The epoch of the lease held now, if any.</summary>
    public long? Epoch
    {
        get
        {
            lock (_lock)
            {
                return _epoch;
            }
        }
    }

    public void Start()
    {
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Stops renewing; with <paramref name="revoke"/> (after every address was withdrawn for good) revokes
    /// the lease so that survivors need not wait out the window. Only the first call acts; later ones wait for it.</summary>
    public Task StopAsync(bool revoke, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _stop) is { } running)
        {
            return running;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _stop, stop.Task, null) is { } other)
        {
            return other;
        }

        _ = CompleteAsync();
        return stop.Task;

        async Task CompleteAsync()
        {
            try
            {
                await StopCoreAsync(revoke, cancellationToken).ConfigureAwait(false);
                stop.SetResult();
            }
#pragma warning disable CA1031 // Handed to every caller through the task.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                stop.SetException(ex);
            }
        }
    }

    /// <summary>
    /// After a permanent fence (the silo stops, or was declared dead): once the fence thread has withdrawn every
    /// address, stops renewing and revokes the lease. Each step is bounded (W for the fence, one lease call for the
    /// revoke) and independent of the caller's cancellation: Orleans cancels the stop of a silo told it is dead at
    /// once, yet revoking after the withdrawal is what lets survivors take over without waiting out the window.
    /// </summary>
    public async Task RevokeWhenFencedAsync()
    {
        using var fenceBound = new CancellationTokenSource(_options.FencingWindow);
        try
        {
            await evidence.WaitFencedAsync(fenceBound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The lease runs out by itself; the guard and the kernel lifetimes still remove the addresses.
            Log.FenceLate(logger, _options.FencingWindow.TotalMilliseconds);
            await StopAsync(revoke: false, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        using var revokeBound = new CancellationTokenSource(_options.LeaseCallTimeout);
        await StopAsync(revoke: true, revokeBound.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(revoke: false, CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task StopCoreAsync(bool revoke, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        Task[] pending;
        lock (_lock)
        {
            pending = [.. _inFlight];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        if (!revoke)
        {
            return;
        }

        try
        {
            // Without the epoch in hand (lost, or never acquired again) the store's copy is used if it is still this
            // generation's own; a lease a survivor revoked is left alone.
            if (await leases.RevokeOwnAsync(localSilo.SiloAddress, Epoch, cancellationToken).ConfigureAwait(false) is not null)
            {
                Log.RevokedOwn(logger);
            }
        }
        catch (Exception ex) when (ex is StoreException or OperationCanceledException)
        {
            // Survivors then wait out the window by the store's clock, as for a crash.
            Log.RevokeOwnFailed(logger, ex);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.LeaseRenewalInterval, timeProvider);
        do
        {
            lock (_lock)
            {
                _inFlight.RemoveAll(t => t.IsCompleted);
                if (_revoked)
                {
                    return;
                }

                // Renewals overlap; an acquisition never does (each one raises the epoch, and a second would make the
                // first one's epoch stale at once).
                if (_inFlight.Count < MaxInFlight && !(_epoch is null && _inFlight.Count > 0))
                {
                    _inFlight.Add(RenewOnceAsync(cancellationToken));
                }
            }
        }
        while (await WaitTickAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task RenewOnceAsync(CancellationToken stopping)
    {
        var sentAt = timeProvider.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.LeaseCallTimeout);
        long? epoch;
        lock (_lock)
        {
            epoch = _epoch;
        }

        try
        {
            if (epoch is { } held)
            {
                var renewed = await leases.RenewAsync(localSilo.SiloAddress, held, timeout.Token).ConfigureAwait(false);
                if (renewed is null)
                {
                    lock (_lock)
                    {
                        if (_epoch == held)
                        {
                            _epoch = null;
                        }
                    }

                    Log.LeaseLost(logger);
                    return;
                }
            }
            else
            {
                // Before every acquisition: a generation that the table says is Dead never comes back (a survivor may
                // have taken its addresses), even if its revoked lease ran out long ago.
                if (await IsDeclaredDeadAsync(timeout.Token).ConfigureAwait(false))
                {
                    Revoked("the membership table says this silo is Dead");
                    return;
                }

                var acquired = await leases.AcquireAsync(localSilo.SiloAddress, timeout.Token).ConfigureAwait(false);
                if (acquired is null)
                {
                    Revoked("its lease was revoked by a survivor that took its addresses over");
                    return;
                }

                lock (_lock)
                {
                    _epoch = acquired.Epoch;
                }

                Log.LeaseAcquired(logger, _leaseName, acquired.Epoch);
            }

            if (Interlocked.Exchange(ref _failures, 0) > 0)
            {
                Log.StoreBack(logger);
            }

            evidence.OnLeaseConfirmed(sentAt);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            if (Interlocked.Increment(ref _failures) == 1)
            {
                Log.RenewalFailed(logger, ex);
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: a renewal cancelled, or failing because the store went away meanwhile, no longer matters (and
            // must not fail the silo's stop).
        }
    }

    private async Task<bool> IsDeclaredDeadAsync(CancellationToken cancellationToken)
    {
        var table = await membershipTable.ReadRowAsync(localSilo.SiloAddress, cancellationToken).ConfigureAwait(false);
        return table.Members.Any(m => m.Item1.SiloAddress.Equals(localSilo.SiloAddress) && m.Item1.Status == SiloStatus.Dead);
    }

    private void Revoked(string reason)
    {
        lock (_lock)
        {
            _revoked = true;
            _epoch = null;
        }

        Log.FencedForGood(logger, reason);
        evidence.FencePermanently(reason);
    }
}
