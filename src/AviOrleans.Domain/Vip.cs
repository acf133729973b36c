namespace AviOrleans.Domain;

/// <summary>Avi's <c>Vip</c>: one virtual IP of a virtual service (or of a shared <see cref="VsVip"/>).</summary>
public sealed record Vip
{
    /// <summary><c>vip_id</c> (required): the VIP's id within its VS or VsVip.</summary>
    public required string VipId { get; init; }

    /// <summary><c>ip_address</c>: the IPv4 address. At least one of this and <see cref="Ip6Address"/> is set.</summary>
    public string? IpAddress { get; init; }

    /// <summary><c>ip6_address</c>: the IPv6 address.</summary>
    public string? Ip6Address { get; init; }

    /// <summary><c>enabled</c>: a disabled VIP is placed but its addresses are not configured anywhere. Default: true.</summary>
    public bool Enabled { get; init; } = true;
}
