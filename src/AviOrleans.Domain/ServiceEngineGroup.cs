namespace AviOrleans.Domain;

/// <summary>
/// Avi's <c>ServiceEngineGroup</c>: the HA and placement settings of a group of service engines, a placement
/// and failure domain (a VS is placed only on SEs of its own group). Property names are Avi's field names in
/// PascalCase (<see cref="MaxVsPerSe"/> is <c>max_vs_per_se</c>); defaults are Avi's schema defaults (AS-01).
/// Ranges are checked by <see cref="ConfigurationValidator"/>.
/// </summary>
public sealed record ServiceEngineGroup
{
    /// <summary><c>name</c>: the group's unique name, used as its reference (<c>se_group_ref</c>).</summary>
    public required string Name { get; init; }

    /// <summary><c>ha_mode</c>. Default: <see cref="HaMode.Shared"/> (Enterprise).</summary>
    public HaMode HaMode { get; init; } = HaMode.Shared;

    /// <summary><c>algo</c>. Default: <see cref="PlacementAlgo.Packed"/> (the API default in every mode).</summary>
    public PlacementAlgo Algo { get; init; } = PlacementAlgo.Packed;

    /// <summary><c>active_standby</c>: the pre-16.2 flag; kept for fidelity, it does not select legacy HA. Default: false.</summary>
    public bool ActiveStandby { get; init; }

    /// <summary><c>distribute_load_active_standby</c>: legacy HA only; both SEs carry actives, split by <c>active_standby_se_tag</c>. Default: false.</summary>
    public bool DistributeLoadActiveStandby { get; init; }

    /// <summary><c>auto_redistribute_active_standby_load</c>: legacy HA only; automatic failback to the replacement SE. Default: false.</summary>
    public bool AutoRedistributeActiveStandbyLoad { get; init; }

    /// <summary><c>max_vs_per_se</c>: placement slots per SE (1–1000). Default: 10.</summary>
    public int MaxVsPerSe { get; init; } = 10;

    /// <summary><c>min_scaleout_per_vs</c>: minimum active SEs per VS (1–64). Default: 1; active/active uses at least 2.</summary>
    public int MinScaleoutPerVs { get; init; } = 1;

    /// <summary><c>max_scaleout_per_vs</c>: maximum active SEs per VS (1–64). Default: 4.</summary>
    public int MaxScaleoutPerVs { get; init; } = 4;

    /// <summary><c>max_se</c>: maximum SEs in the group, disabled ones included (0–1000). Default: 10. Legacy HA uses at most 2.</summary>
    public int MaxSe { get; init; } = 10;

    /// <summary><c>min_se</c>: minimum SEs (0–1000). Default: 1.</summary>
    public int MinSe { get; init; } = 1;

    /// <summary><c>buffer_se</c>: the M of N+M, spare capacity of <c>buffer_se × max_vs_per_se</c> free slots (0–<c>max_se</c>). Default: 1.</summary>
    public int BufferSe { get; init; } = 1;

    /// <summary><c>vs_host_redundancy</c>: put a VS's SEs on different hosts when the hosts allow. Default: true.</summary>
    public bool VsHostRedundancy { get; init; } = true;

    /// <summary><c>hm_on_standby</c>: standby SEs also health-check the pool servers (legacy HA). Default: true.</summary>
    public bool HmOnStandby { get; init; } = true;

    /// <summary><c>floating_intf_ip</c>: legacy HA floating interface IPs (≤ 32), owned by the SE active for <c>ACTIVE_STANDBY_SE_1</c> VSs. Default: empty.</summary>
    public EquatableArray<string> FloatingIntfIp { get; init; }

    /// <summary><c>floating_intf_ip_se_2</c>: the same (≤ 32), owned by the SE active for <c>ACTIVE_STANDBY_SE_2</c> VSs with distribute-load. Default: empty.</summary>
    public EquatableArray<string> FloatingIntfIpSe2 { get; init; }

    /// <summary>
    /// <c>gateway_mon</c>: next hops every SE of this legacy-HA group pings (Avi keeps them on the VRF context; at most
    /// <see cref="MaxGatewayMonitors"/>). Default: empty.
    /// </summary>
    public EquatableArray<GatewayMonitor> GatewayMon { get; init; }

    /// <summary>The most gateway monitors a group may have (AviOrleans' bound; Avi states none).</summary>
    public const int MaxGatewayMonitors = 16;

    /// <summary><c>auto_rebalance</c>: elastic modes; move VSs automatically on load thresholds. Default: false (only events).</summary>
    public bool AutoRebalance { get; init; }

    /// <summary><c>auto_rebalance_criteria</c>: the metrics compared with the thresholds. Default: empty (CPU).</summary>
    public EquatableArray<AutoRebalanceCriterion> AutoRebalanceCriteria { get; init; }

    /// <summary>
    /// <c>auto_rebalance_capacity_per_se</c>: an SE's capacity for each criterion, in the order of
    /// <see cref="AutoRebalanceCriteria"/> (the CPU entry is ignored: CPU is a percentage). Default: empty.
    /// </summary>
    public EquatableArray<long> AutoRebalanceCapacityPerSe { get; init; }

    /// <summary><c>auto_rebalance_interval</c> in seconds: at most one auto-rebalance change per interval. Default: 300.</summary>
    public int AutoRebalanceInterval { get; init; } = 300;

    /// <summary><c>max_cpu_usage</c> in percent (40–90). Default: 80.</summary>
    public int MaxCpuUsage { get; init; } = 80;

    /// <summary><c>min_cpu_usage</c> in percent (20–60). Default: 30.</summary>
    public int MinCpuUsage { get; init; } = 30;

    /// <summary><c>se_deprovision_delay</c> in minutes (0–525600; 0 = never). Default: 120.</summary>
    public int SeDeprovisionDelay { get; init; } = 120;

    /// <summary><c>vs_scalein_timeout</c> in seconds: drain of a scaled-in or migrated-away placement. Default: 30.</summary>
    public int VsScaleinTimeout { get; init; } = 30;

    /// <summary><c>vs_scaleout_timeout</c> in seconds. Default: 600.</summary>
    public int VsScaleoutTimeout { get; init; } = 600;

    /// <summary><c>vs_scalein_timeout_for_upgrade</c> in seconds. Default: 30.</summary>
    public int VsScaleinTimeoutForUpgrade { get; init; } = 30;

    /// <summary><c>vs_switchover_timeout</c> in seconds (legacy upgrade). Default: 300.</summary>
    public int VsSwitchoverTimeout { get; init; } = 300;

    /// <summary><c>vs_se_scaleout_ready_timeout</c> in seconds (0–90). Default: 60.</summary>
    public int VsSeScaleoutReadyTimeout { get; init; } = 60;

    /// <summary><c>per_app</c>: at most 2 VSs per SE. Default: false.</summary>
    public bool PerApp { get; init; }

    /// <summary><c>aggressive_failure_detection</c>: use the <c>dp_aggressive_*</c> and aggressive echo parameters. Default: false.</summary>
    public bool AggressiveFailureDetection { get; init; }

    /// <summary><c>dp_hb_frequency</c> in milliseconds: SE-to-SE datapath heartbeat interval. Default: 100.</summary>
    public int DpHbFrequency { get; init; } = 100;

    /// <summary><c>dp_hb_timeout_count</c>: missed datapath heartbeats before a peer is suspected. Default: 10.</summary>
    public int DpHbTimeoutCount { get; init; } = 10;

    /// <summary><c>dp_aggressive_hb_frequency</c> in milliseconds. Default: 100.</summary>
    public int DpAggressiveHbFrequency { get; init; } = 100;

    /// <summary><c>dp_aggressive_hb_timeout_count</c>. Default: 10 (the schema; Avi's 16.3 docs say 5).</summary>
    public int DpAggressiveHbTimeoutCount { get; init; } = 10;

    /// <summary>The placement slots of one SE: <see cref="MaxVsPerSe"/>, or at most 2 with <see cref="PerApp"/>.</summary>
    public int SlotsPerSe => PerApp ? Math.Min(2, MaxVsPerSe) : MaxVsPerSe;
}
