namespace AviOrleans.Runtime.Storage;

/// <summary>
/// Named leases judged by the store's clock, with a fencing epoch: what VIP safety builds on. Each silo
/// acquires and keeps renewing a lease; a silo that cannot renew in time must assume it lost it (and withdraw
/// its VIPs); survivors may take a silo's lease over, and with it the silo's VIPs, only once the lease has run
/// out by the store's clock, and every takeover raises the epoch that VIP orders carry.
/// Expected outcomes (lease taken, lost, not held) are results; an unreachable store throws
/// <see cref="StoreUnavailableException"/>, after which the caller knows nothing new (a renewal that failed
/// that way may or may not have happened).
/// <para>
/// The holder cannot read the store's clock, so it must count its own lease conservatively: from the moment it
/// <em>sent</em> its last successful acquisition or renewal, by its own monotonic clock, for the duration it asked
/// for (less a margin for clock drift). Past that it must act as if the lease were lost, because by then a
/// survivor may have taken it over.
/// </para>
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Acquires <paramref name="name"/> for <paramref name="owner"/> for <paramref name="duration"/> from the store's
    /// now, if nobody holds it (never acquired, released, or run out by the store's clock) or
    /// <paramref name="owner"/> itself holds it. Every acquisition gets a new, higher epoch.
    /// </summary>
    /// <returns>The lease acquired, or null when another owner holds it.</returns>
    Task<Lease?> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the lease to <paramref name="duration"/> from the store's now, if <paramref name="owner"/> still holds
    /// it with <paramref name="epoch"/> and it has not run out. The epoch stays the same.
    /// </summary>
    /// <returns>The renewed lease, or null when it was lost (ran out, released, or acquired again since).</returns>
    Task<Lease?> RenewAsync(string name, string owner, long epoch, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Ends the lease now, if <paramref name="owner"/> holds it with <paramref name="epoch"/>; the epoch is kept for the next owner to exceed.</summary>
    /// <returns>True when released; false when the caller did not hold it.</returns>
    Task<bool> ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellationToken);

    /// <summary>Reads the lease with the store's now, or null when it was never acquired.</summary>
    Task<Lease?> ReadAsync(string name, CancellationToken cancellationToken);
}
