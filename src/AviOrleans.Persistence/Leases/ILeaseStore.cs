namespace AviOrleans.Persistence.Leases;

/// <summary>
/// Named leases judged by the store's clock, with fencing epochs: what VIP fencing builds on. Each SE host keeps
/// renewing the lease of its SE (every 50 to 100 ms, with a TTL); a decider reads a lease (has it run out by the
/// store's clock, and how long ago was it renewed?) and may revoke it, which raises its epoch so that the holder's
/// further renewals fail. Expected outcomes (lease taken, lost, not held, epoch moved) are results; a store that
/// cannot be reached throws <see cref="StoreUnavailableException"/> (other <see cref="StoreException"/>s for a
/// misconfigured store), after which the caller knows nothing new: a renewal that failed that way may or may not
/// have happened.
/// <para>
/// The holder cannot read the store's clock, so it must count its own lease conservatively: from the moment it
/// <em>sent</em> its last successful acquisition or renewal, by its own monotonic clock, for the TTL it asked for
/// (less a margin for clock drift). Past that it must act as if the lease were lost, because by then a decider may
/// have judged it run out.
/// </para>
/// </summary>
public interface ILeaseStore
{
    /// <summary>
    /// Acquires <paramref name="name"/> for <paramref name="owner"/> for <paramref name="duration"/> from the store's
    /// now, if nobody holds it (never acquired, released, or run out by the store's clock) or <paramref name="owner"/>
    /// itself holds it. Every acquisition gets a new, higher epoch.
    /// </summary>
    /// <returns>The lease acquired, or null when another owner holds it.</returns>
    Task<Lease?> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the lease to <paramref name="duration"/> from the store's now, if <paramref name="owner"/> still holds
    /// it with <paramref name="epoch"/> and it has not run out. The epoch stays the same.
    /// </summary>
    /// <returns>The renewed lease, or null when it was lost (ran out, released, revoked, or acquired again since).</returns>
    Task<Lease?> RenewAsync(string name, string owner, long epoch, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Ends the lease now, if <paramref name="owner"/> holds it with <paramref name="epoch"/>; the epoch is kept for the next owner to exceed.</summary>
    /// <returns>True when released; false when the caller did not hold it.</returns>
    Task<bool> ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellationToken);

    /// <summary>
    /// Fences the lease: if its epoch is still <paramref name="epoch"/> (whether or not it has run out), it gets the
    /// next epoch, <paramref name="revokedBy"/> as its owner, and is held by <paramref name="revokedBy"/> for
    /// <paramref name="holdFor"/> from the store's now, so the old holder's renewals fail and it cannot acquire the
    /// lease back before then. The revoker may release it earlier to let the old holder back.
    /// </summary>
    /// <returns>The revoked lease with its new epoch, or null when the epoch had moved (the lease was acquired or revoked again since it was read) or it was never acquired.</returns>
    Task<Lease?> RevokeAsync(string name, long epoch, string revokedBy, TimeSpan holdFor, CancellationToken cancellationToken);

    /// <summary>Reads the lease with the store's now, or null when it was never acquired.</summary>
    Task<Lease?> ReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Reads every lease of the store's cluster with the store's now (one read, one clock), ordered by name.</summary>
    Task<IReadOnlyList<Lease>> ReadAllAsync(CancellationToken cancellationToken);
}
