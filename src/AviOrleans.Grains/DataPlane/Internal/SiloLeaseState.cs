using AviOrleans.Persistence.Leases;

namespace AviOrleans.Grains.DataPlane.Internal;

/// <summary>Where a silo's lease stands by the store's clock.</summary>
internal enum SiloLeaseKind
{
    /// <summary>Never acquired: the silo never held evidence, so it never owned an address.</summary>
    Absent = 1,

    /// <summary>Held: it runs for <see cref="SiloLeaseState.Remaining"/> more.</summary>
    Held = 2,

    /// <summary>Ran out <see cref="SiloLeaseState.ExpiredFor"/> ago.</summary>
    Expired = 3,

    /// <summary>Revoked (by a takeover gate, or by the silo itself after withdrawing everything): that generation can
    /// never hold it again.</summary>
    Revoked = 4,
}

/// <summary>A silo's lease as read, by the store's clock.</summary>
internal readonly record struct SiloLeaseState(SiloLeaseKind Kind, TimeSpan Remaining, TimeSpan ExpiredFor)
{
    public static SiloLeaseState Of(Lease? lease) => lease switch
    {
        null => new(SiloLeaseKind.Absent, TimeSpan.Zero, TimeSpan.Zero),
        { IsRevoked: true } => new(SiloLeaseKind.Revoked, TimeSpan.Zero, TimeSpan.Zero),
        { IsHeld: true } => new(SiloLeaseKind.Held, lease.Remaining, TimeSpan.Zero),
        _ => new(SiloLeaseKind.Expired, TimeSpan.Zero, lease.SinceExpired),
    };
}
