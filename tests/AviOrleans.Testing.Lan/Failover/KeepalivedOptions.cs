namespace AviOrleans.Testing.Lan.Failover;

/// <summary>The VRRP settings of <see cref="KeepalivedSystem"/>; everything else is FAILOVER-ANCHORS' configuration
/// (no VMAC, no unicast peers, no authentication, preemption on, 5 gratuitous ARPs on becoming master and 5 more 5 s later).</summary>
public sealed class KeepalivedOptions
{
    /// <summary>keepalived's defaults: VRRPv2, advert_int 1 (FAILOVER-ANCHORS: ~3.0 s median for host death).</summary>
    public static KeepalivedOptions Defaults { get; } = new();

    /// <summary>Tuned: VRRPv3, advert_int 0.1 (FAILOVER-ANCHORS: ~0.32 s median for host death).</summary>
    public static KeepalivedOptions Fast { get; } = new() { VrrpVersion = 3, AdvertInterval = TimeSpan.FromMilliseconds(100) };

    /// <summary><c>vrrp_version</c>: 2 or 3. Default: 2.</summary>
    public int VrrpVersion { get; init; } = 2;

    /// <summary><c>advert_int</c>: whole seconds for VRRPv2, centiseconds allowed with VRRPv3. Default: 1 second.</summary>
    public TimeSpan AdvertInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>virtual_router_id</c>. Default: 51.</summary>
    public int VirtualRouterId { get; init; } = 51;

    /// <summary>The active host's <c>priority</c> (state MASTER). Default: 150.</summary>
    public int ActivePriority { get; init; } = 150;

    /// <summary>The standby's <c>priority</c> (state BACKUP). Default: 100.</summary>
    public int StandbyPriority { get; init; } = 100;

    /// <summary>RFC 5798 Master_Down_Interval of the standby: 3 × advert_int + skew, skew = (256 − priority) / 256 ×
    /// advert_int (3.609 s for the defaults, 0.361 s for <see cref="Fast"/>).</summary>
    public TimeSpan MasterDownInterval => (3 * AdvertInterval) + ((256 - StandbyPriority) / 256.0 * AdvertInterval);

    /// <summary>Checks the options.</summary>
    public void Validate()
    {
        if (VrrpVersion is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(VrrpVersion), VrrpVersion, "vrrp_version is 2 or 3.");
        }

        var centiseconds = AdvertInterval.TotalMilliseconds / 10;
        if (AdvertInterval <= TimeSpan.Zero || centiseconds != Math.Floor(centiseconds) || (VrrpVersion == 2 && AdvertInterval.TotalSeconds != Math.Floor(AdvertInterval.TotalSeconds)))
        {
            throw new ArgumentOutOfRangeException(nameof(AdvertInterval), AdvertInterval, "advert_int is whole seconds with VRRPv2 and whole centiseconds with VRRPv3.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(VirtualRouterId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(VirtualRouterId, 255);
        ArgumentOutOfRangeException.ThrowIfLessThan(StandbyPriority, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ActivePriority, 254);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ActivePriority, StandbyPriority);
    }
}
