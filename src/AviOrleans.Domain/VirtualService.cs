namespace AviOrleans.Domain;

/// <summary>
/// Avi's <c>VirtualService</c> as far as HA and placement go: its group, VIPs (inline <c>vip</c> or a shared
/// <c>vsvip_ref</c>), SNAT IPs, pool servers and states.
/// </summary>
public sealed record VirtualService
{
    /// <summary><c>name</c>: the VS's unique name.</summary>
    public required string Name { get; init; }

    /// <summary><c>se_group_ref</c>: the group it is placed in.</summary>
    public required string SeGroupRef { get; init; }

    /// <summary><c>enabled</c>: a disabled VS has no placement. Default: true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>traffic_enabled</c>: when false the VS keeps its placements but no SE configures its addresses. Default: true.</summary>
    public bool TrafficEnabled { get; init; } = true;

    /// <summary><c>vip</c>: the VS's own VIPs (empty when <see cref="VsvipRef"/> is set).</summary>
    public EquatableArray<Vip> Vip { get; init; }

    /// <summary><c>vsvip_ref</c>: a shared <see cref="VsVip"/>; null when the VS has its own <see cref="Vip"/> list.</summary>
    public string? VsvipRef { get; init; }

    /// <summary><c>snat_ip</c>: source-NAT addresses, owned by the VS's active (primary) SE.</summary>
    public EquatableArray<string> SnatIp { get; init; }

    /// <summary>The back-end servers (Avi: <c>pool_ref</c> → <c>Pool.servers</c>).</summary>
    public EquatableArray<PoolServer> PoolServers { get; init; }

    /// <summary>
    /// The pool's health monitors (Avi: <c>pool_ref</c> → <c>Pool.health_monitor_refs</c>, inline here like the servers),
    /// run by the VS's active SEs and, with the group's <c>hm_on_standby</c>, its standby. Default: empty (no checks).
    /// </summary>
    public EquatableArray<HealthMonitor> PoolHealthMonitors { get; init; }

    /// <summary><c>active_standby_se_tag</c>: legacy distribute-load only. Default: <see cref="ActiveStandbySeTag.ActiveStandbySe1"/>.</summary>
    public ActiveStandbySeTag ActiveStandbySeTag { get; init; } = ActiveStandbySeTag.ActiveStandbySe1;

    /// <summary><c>use_vip_as_snat</c>: not allowed in active/active groups (AS-08). Default: false.</summary>
    public bool UseVipAsSnat { get; init; }
}
