using AviOrleans.Runtime.Storage;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>
/// The fencing leases in the store, one per silo generation (name <c>silo/ADDRESS:PORT@GENERATION</c>), each lasting
/// the fencing window W from the store's now. Revoking writes a tombstone owner that no silo ever uses, so the
/// generation can neither renew nor acquire again. Everything about expiry is judged by the store's clock.
/// </summary>
internal sealed class SiloLeases(ILeaseStore store, IOptions<DataPlaneOptions> options)
{
    /// <summary>The owner of a revoked lease: a silo whose lease shows it can never hold addresses again.</summary>
    public const string RevokedOwner = "avi:revoked";

    private readonly TimeSpan _window = options.Value.FencingWindow;

    public static string NameOf(SiloAddress silo) => "silo/" + silo.ToParsableString();

    /// <summary>Acquires the silo's own lease (first time, or again after it ran out); null when it is held by another
    /// owner, i.e. revoked.</summary>
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
    /// Revokes a silo's lease if it has been out, by the store's clock, for at least <paramref name="expiredFor"/>
    /// (or was never acquired): afterwards that generation can never renew or acquire it. True when the lease is now
    /// revoked (by this call or earlier); false when it was renewed or acquired meanwhile.
    /// </summary>
    public async Task<bool> RevokeAsync(SiloAddress silo, TimeSpan expiredFor, CancellationToken cancellationToken)
    {
        var state = await ReadAsync(silo, cancellationToken).ConfigureAwait(false);
        switch (state.Kind)
        {
            case SiloLeaseKind.Revoked:
                return true;
            case SiloLeaseKind.Held:
            case SiloLeaseKind.Expired when state.ExpiredFor < expiredFor:
                return false;
        }

        // Acquisition succeeds only while the lease is out (or absent): if the silo renewed or re-acquired since the
        // read above, this fails and nothing changes.
        var tombstone = await store.TryAcquireAsync(NameOf(silo), RevokedOwner, LeaseArguments.MaxDuration, cancellationToken).ConfigureAwait(false);
        return tombstone is not null;
    }

    /// <summary>A silo that has withdrawn every address for good (a graceful stop) revokes its own lease, so that
    /// survivors need not wait out its window.</summary>
    public async Task RevokeOwnAsync(SiloAddress self, long epoch, CancellationToken cancellationToken)
    {
        await store.ReleaseAsync(NameOf(self), NameOf(self), epoch, cancellationToken).ConfigureAwait(false);
        await store.TryAcquireAsync(NameOf(self), RevokedOwner, LeaseArguments.MaxDuration, cancellationToken).ConfigureAwait(false);
    }
}
