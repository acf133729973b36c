namespace AviOrleans.Domain;

/// <summary>The placement of one VIP: its addresses and its <c>SeList</c>. A VS's VIPs share one SE list.</summary>
public sealed record VipPlacement
{
    /// <summary><c>vip_id</c>.</summary>
    public required string VipId { get; init; }

    /// <summary>The IPv4 address, if any.</summary>
    public string? IpAddress { get; init; }

    /// <summary>The IPv6 address, if any.</summary>
    public string? Ip6Address { get; init; }

    /// <summary>False when the VIP is disabled: placed, but its addresses are owned by nobody.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>se_list</c>: active entries first (primary, then secondaries by <c>sec_idx</c>), then standby and draining ones.</summary>
    public EquatableArray<SeListEntry> SeList { get; init; }
}
