namespace AviOrleans.Domain;

/// <summary>
/// Avi's <c>ServiceEngine</c> as the placement engine sees it: its group, host, administrative state and the
/// liveness that failure detection reports. SEs are provided by the operator (Avi's "no access" mode).
/// </summary>
public sealed record ServiceEngine
{
    /// <summary><c>name</c>: the SE's unique name, used as its reference (<c>se_ref</c>).</summary>
    public required string Name { get; init; }

    /// <summary><c>se_group_ref</c>: the group it belongs to (exactly one).</summary>
    public required string SeGroupRef { get; init; }

    /// <summary><c>host_ref</c>: the physical host, for <c>vs_host_redundancy</c>. Null: a host of its own.</summary>
    public string? HostRef { get; init; }

    /// <summary><c>enable_state</c>. Default: <see cref="SeEnableState.Enabled"/>.</summary>
    public SeEnableState EnableState { get; init; } = SeEnableState.Enabled;

    /// <summary>
    /// <c>oper_status.state</c> as failure detection reports it: <see cref="OperState.Up"/> serves; any other state
    /// (<see cref="OperState.Down"/>, <see cref="OperState.Upgrading"/>, ...) hosts nothing. Default: up.
    /// </summary>
    public OperState OperState { get; init; } = OperState.Up;

    /// <summary>
    /// AviOrleans (AS-53): the datapath suspects this SE (its peers missed <c>dp_hb_timeout_count</c> heartbeats) but the
    /// second channel (the controller's echoes) has not confirmed it yet. The engine moves nothing on a suspicion; it
    /// acts only once failure detection sets <see cref="OperState"/> to <see cref="OperState.Down"/>. Default: false.
    /// </summary>
    public bool DatapathSuspected { get; init; }

    /// <summary>
    /// AviOrleans: a rolling upgrade disabled this SE (with <see cref="EnableState"/> <see cref="SeEnableState.Disabled"/>)
    /// so that its virtual services leave before it restarts; their moves are reported as <c>UPGRADE_SE_VS_MIGRATE</c>
    /// instead of <c>VS_MIGRATE_STARTED</c>. The upgrade enables the SE with the mark still set (placements added on it
    /// then are <c>UPGRADE_SE_VS_SCALEOUT</c>), then clears it. Default: false.
    /// </summary>
    public bool DisabledForUpgrade { get; init; }

    /// <summary><c>version</c>: the software version the SE runs (rolling upgrade). Default: null (unknown).</summary>
    public string? Version { get; init; }

    /// <summary>
    /// Gateway-monitor result (AviOrleans; Avi keeps it in the SE's runtime): false when the SE cannot reach the
    /// monitored gateway. In legacy HA an active SE that loses its gateway while its peer reaches it switches over. Default: true.
    /// Per-monitor results go in <see cref="GatewayMonitors"/>; the SE reaches its gateways when this is true and every monitor is reachable.
    /// </summary>
    public bool GatewayReachable { get; init; } = true;

    /// <summary>
    /// The result of each gateway monitor on this SE (Avi's <c>gateway_mon</c>, one per next hop; legacy HA acts on them,
    /// AS-45): with several monitors, one unreachable gateway is enough for the SE to count as cut from its gateways.
    /// Default: empty (only <see cref="GatewayReachable"/>).
    /// </summary>
    public EquatableArray<GatewayMonitorStatus> GatewayMonitors { get; init; }

    /// <summary>True when the SE reaches its gateways: <see cref="GatewayReachable"/> and every one of <see cref="GatewayMonitors"/>.</summary>
    public bool ReachesGateways()
    {
        if (!GatewayReachable)
        {
            return false;
        }

        foreach (var monitor in GatewayMonitors)
        {
            if (!monitor.Reachable)
            {
                return false;
            }
        }

        return true;
    }
}
