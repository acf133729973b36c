using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// The fencing leases in the store, one per silo generation (name <c>silo/ADDRESS:PORT@GENERATION</c>, owned by the
/// same string), each lasting the fencing window W from the store's now. Revoking raises the epoch and hands the lease
/// to the revoker for the longest hold the store grants, so that generation can neither renew nor acquire it again.
/// Everything about expiry is judged by the store's clock.
/// </summary>
internal sealed class SiloLeases(ILeaseStore store, IOptions<DataPlaneOptions> options, ILocalSiloDetails localSilo)
{
    private readonly TimeSpan _window = options.Value.FencingWindow;

    public static string NameOf(SiloAddress silo) => "silo/" + silo.ToParsableString();

    /// <summary>Acquires the silo's own lease (first time, or again after it ran out); null when another owner holds
    /// it, i.e. it was revoked.</summary>
    public Task<Lease?> AcquireAsync(SiloAddress self, CancellationToken cancellationToken) =>
        store.TryAcquireAsync(NameOf(self), NameOf(self), _window, cancellationToken);

    /// <summary>Renews the silo's own lease; null when it was lost (ran out by the store's clock, or revoked).</summary>
    public Task<Lease?> RenewAsync(SiloAddress self, long epoch, CancellationToken cancellationToken) =>
        store.RenewAsync(NameOf(self), NameOf(self), epoch, _window, cancellationToken);

    /// <summary>Reads a silo's lease with the store's now.</summary>
    public async Task<SiloLeaseState> ReadAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        var lease = await store.ReadAsync(NameOf(silo), cancellationToken).ConfigureAwait(false);
        return SiloLeaseState.Of(lease);
    }

    /// <summary>
    /// Revokes a silo's lease if it has been out, by the store's clock, for at least <paramref name="expiredFor"/>:
    /// afterwards that generation can never renew or acquire it. True when the lease is now revoked (by this call or
    /// earlier) or was never acquired; false when it is held, or was acquired again meanwhile.
    /// </summary>
    /// <remarks>
    /// An expired lease cannot be renewed, only acquired again, which raises its epoch; so a revoke conditioned on the
    /// epoch read while the lease was out fails exactly when the silo came back in between.
    /// </remarks>
    public async Task<bool> RevokeAsync(SiloAddress silo, TimeSpan expiredFor, CancellationToken cancellationToken)
    {
        var lease = await store.ReadAsync(NameOf(silo), cancellationToken).ConfigureAwait(false);
        var state = SiloLeaseState.Of(lease);
        switch (state.Kind)
        {
            case SiloLeaseKind.Absent or SiloLeaseKind.Revoked:
                // Never acquired: the silo never held evidence (its lease keeper checks the membership table before
                // every acquisition, and this silo is Dead there).
                return true;
            case SiloLeaseKind.Held:
            case SiloLeaseKind.Expired when state.ExpiredFor < expiredFor:
                return false;
        }

        var revoked = await store.RevokeAsync(NameOf(silo), lease!.Epoch, "gate:" + localSilo.SiloAddress.ToParsableString(), LeaseArguments.MaxDuration, cancellationToken).ConfigureAwait(false);
        return revoked is not null;
    }

    /// <summary>A silo that has withdrawn every address for good (a graceful stop) revokes its own lease, so that
    /// survivors need not wait out its window.</summary>
    /// <remarks>Without the epoch in hand (the lease was lost meanwhile) the one the store holds is used, if the lease
    /// is still this generation's own.</remarks>
    public Task<Lease?> RevokeOwnAsync(SiloAddress self, long? epoch, CancellationToken cancellationToken) =>
        epoch is null
            ? RevokeWhileOwnAsync(store, NameOf(self), "self:" + self.ToParsableString(), cancellationToken)
            : store.RevokeAsync(NameOf(self), epoch.Value, "self:" + self.ToParsableString(), LeaseArguments.MaxDuration, cancellationToken);

    /// <summary>
    /// Revokes lease <paramref name="name"/> while it is still its own generation's (owned by the same name, not
    /// revoked), each attempt conditioned on the epoch just read; reads again when the epoch moved in between (an
    /// acquisition landed). Null when the lease is not that generation's any more (or never was).
    /// </summary>
    public static async Task<Lease?> RevokeWhileOwnAsync(ILeaseStore store, string name, string revokedBy, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lease = await store.ReadAsync(name, cancellationToken).ConfigureAwait(false);
            if (lease is null || lease.IsRevoked || lease.Owner != name)
            {
                return null;
            }

            if (await store.RevokeAsync(name, lease.Epoch, revokedBy, LeaseArguments.MaxDuration, cancellationToken).ConfigureAwait(false) is { } revoked)
            {
                return revoked;
            }
        }
    }
}
