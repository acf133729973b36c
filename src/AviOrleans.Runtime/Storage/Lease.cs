namespace AviOrleans.Runtime.Storage;

/// <summary>
/// A lease as the store holds it, with the store's own time when it was read or written. Whether a lease is
/// held is judged only against <see cref="StoreTime"/>, never against a silo's clock, so silos whose clocks
/// disagree still agree on when a lease ran out.
/// </summary>
/// <param name="Name">The lease's name (for VIP safety: the silo it belongs to).</param>
/// <param name="Owner">Who acquired it last.</param>
/// <param name="Epoch">
/// The fencing epoch: it increases on every acquisition (never on a renewal) and never goes back, so an order
/// stamped with an older epoch is known to come from an owner that has since been replaced.
/// </param>
/// <param name="ExpiresAt">When the lease runs out, by the store's clock (UTC).</param>
/// <param name="StoreTime">The store's clock when this was read or written (UTC).</param>
public sealed record Lease(string Name, string Owner, long Epoch, DateTimeOffset ExpiresAt, DateTimeOffset StoreTime)
{
    /// <summary>True while the lease has not run out by the store's clock (a released lease has run out).</summary>
    public bool IsHeld => ExpiresAt > StoreTime;

    /// <summary>How long the lease still runs, by the store's clock; zero once it has run out.</summary>
    public TimeSpan Remaining => IsHeld ? ExpiresAt - StoreTime : TimeSpan.Zero;
}
