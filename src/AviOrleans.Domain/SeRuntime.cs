namespace AviOrleans.Domain;

/// <summary>An SE of a group as the last placement saw it: its resulting state and load.</summary>
public sealed record SeRuntime
{
    /// <summary>The SE's name.</summary>
    public required string SeRef { get; init; }

    /// <summary>
    /// The SE's operational state after placement: its reported liveness, or for an SE being disabled
    /// <see cref="OperState.Disabling"/>, <see cref="OperState.Disabled"/> or <see cref="OperState.ErrorDisabled"/> (AS-34).
    /// </summary>
    public OperState OperState { get; init; }

    /// <summary>The SE's administrative state.</summary>
    public SeEnableState EnableState { get; init; }

    /// <summary>Slots in use (VSs placed here, draining ones included).</summary>
    public int Load { get; init; }

    /// <summary>Slots the SE has (<c>max_vs_per_se</c>, 2 with <c>per_app</c>).</summary>
    public int Capacity { get; init; }

    /// <summary>Since when the SE has had no placement at all (standby and draining ones count); null while it has one.</summary>
    public DateTimeOffset? IdleSince { get; init; }

    /// <summary>
    /// True when the SE has been idle for <c>se_deprovision_delay</c> and the group does not need it (AS-33): it is due
    /// for deletion. The engine cannot delete an SE; the operator removes it. Run the engine at or after
    /// <see cref="IdleSince"/> + <c>se_deprovision_delay</c> to learn it.
    /// </summary>
    public bool DeprovisionDue { get; init; }

    /// <summary>The SE is up but suspected by the datapath, not yet confirmed down (AS-53); its placements stay.</summary>
    public bool DatapathSuspected { get; init; }

    /// <summary>
    /// When the SE was first seen declared dead (<c>OPER_DOWN</c> or <c>OPER_FAILED</c>); null while it is not. Any other state
    /// (up, upgrading, inactive after a graceful stop, ...) clears it.
    /// </summary>
    public DateTimeOffset? DownSince { get; init; }

    /// <summary>
    /// True while the SE counts against <c>max_se</c>: always, except an SE dead for longer than
    /// <see cref="ControllerProperties.GetDeadSeRetention"/> (Avi has deleted it by then; a replacement may join). Default: true.
    /// </summary>
    public bool CountsAgainstMaxSe { get; init; } = true;

    /// <summary>For a dead SE that still counts against <c>max_se</c>: when it stops counting. Null otherwise.</summary>
    public DateTimeOffset? CountsAgainstMaxSeUntil { get; init; }

    /// <summary>
    /// N+M: an SE without placements that the group keeps as (part of) its buffer of <c>buffer_se × max_vs_per_se</c>
    /// free slots; it takes the placements of a failed SE first.
    /// </summary>
    public bool IsBuffer { get; init; }

    /// <summary>The SE reaches its gateways (<see cref="ServiceEngine.ReachesGateways"/>). Default: true.</summary>
    public bool GatewayReachable { get; init; } = true;

    /// <summary>Each gateway monitor's state on this SE, sorted by <c>gateway_ip</c> (ordinal).</summary>
    public EquatableArray<GatewayMonitorStatus> GatewayMonitors { get; init; }
}
