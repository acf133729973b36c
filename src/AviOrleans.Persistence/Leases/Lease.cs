namespace AviOrleans.Persistence.Leases;

/// <summary>
/// A lease as the store holds it, with the store's own time when it was read or written. Whether a lease is held,
/// and how long ago it was renewed, are judged only against <see cref="StoreTime"/>, never against a host's clock,
/// so hosts whose clocks disagree still agree on when a lease ran out.
/// </summary>
/// <param name="Name">The lease's name (for VIP fencing: the SE it belongs to).</param>
/// <param name="Owner">Who acquired it last (after a revocation: the revoker).</param>
/// <param name="Epoch">
/// The fencing epoch: it increases on every acquisition and revocation (never on a renewal) and never goes back,
/// so an order stamped with an older epoch is known to come from an owner that has since been replaced.
/// </param>
/// <param name="ExpiresAt">When the lease runs out, by the store's clock (UTC).</param>
/// <param name="RenewedAt">When it was last acquired, renewed or revoked, by the store's clock (UTC).</param>
/// <param name="StoreTime">The store's clock when this was read or written (UTC).</param>
/// <param name="RevokedBy">Who revoked (fenced) the lease, when its current epoch comes from a revocation; else null.</param>
public sealed record Lease(string Name, string Owner, long Epoch, DateTimeOffset ExpiresAt, DateTimeOffset RenewedAt, DateTimeOffset StoreTime, string? RevokedBy = null)
{
    /// <summary>True while the lease has not run out by the store's clock (a released lease has run out).</summary>
    public bool IsHeld => ExpiresAt > StoreTime;

    /// <summary>True when the current epoch comes from a revocation rather than an acquisition.</summary>
    public bool IsRevoked => RevokedBy is not null;

    /// <summary>How long the lease still runs, by the store's clock; zero once it has run out.</summary>
    public TimeSpan Remaining => IsHeld ? ExpiresAt - StoreTime : TimeSpan.Zero;

    /// <summary>How long ago, by the store's clock, it was last acquired, renewed or revoked.</summary>
    public TimeSpan SinceRenewed => StoreTime > RenewedAt ? StoreTime - RenewedAt : TimeSpan.Zero;

    /// <summary>How long ago, by the store's clock, it ran out; zero while it is held.</summary>
    public TimeSpan SinceExpired => IsHeld ? TimeSpan.Zero : StoreTime - ExpiresAt;
}
