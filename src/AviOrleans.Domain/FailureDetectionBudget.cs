namespace AviOrleans.Domain;

/// <summary>
/// How long after an SE goes silent it is declared failed, computed from the configured parameters (AS-51, AS-52;
/// never a constant):
/// <code>
/// suspicion    = dp_hb_frequency × dp_hb_timeout_count                      (aggressive: dp_aggressive_hb_*)
/// confirmation = controller_echo_rpc_timeout × controller_echo_miss_limit   (aggressive: *_aggressive_*)
/// datapath     = suspicion + confirmation
/// management   = heartbeat interval × controller_heartbeat_miss_limit       (management path only, AS-54)
/// </code>
/// Avi's defaults give 10 × 100 ms + 4 × 2 s = 9 s standard and 10 × 100 ms + 2 × 2 s = 5 s aggressive
/// (1.5 s with the 16.3 documented 5 × 100 ms + 2 × 0.5 s), and 60 s over the management path.
/// AviOrleans' defaults (<see cref="SeAgentProperties"/>) confirm over silo-to-silo probes on the SE hosts:
/// 10 × 100 ms + 2 × 200 ms = 1.4 s standard, 10 × 100 ms + 2 × 100 ms = 1.2 s aggressive, and lowering the
/// group's <c>dp_aggressive_hb_timeout_count</c> to Avi's documented 5 gives 0.7 s; management path 3 × 2 s = 6 s.
/// </summary>
/// <param name="Aggressive">Whether the aggressive parameter set applies (<c>aggressive_failure_detection</c>).</param>
/// <param name="Suspicion">Missed datapath heartbeats until the peer is suspected.</param>
/// <param name="Confirmation">Missed confirmation echoes until the suspect is declared failed.</param>
/// <param name="ManagementPath">Missed management heartbeats until an SE is declared down when only that path sees it.</param>
public sealed record FailureDetectionBudget(bool Aggressive, TimeSpan Suspicion, TimeSpan Confirmation, TimeSpan ManagementPath)
{
    /// <summary>Datapath failure budget: suspicion plus confirmation (± one heartbeat of jitter).</summary>
    public TimeSpan Datapath => Suspicion + Confirmation;

    /// <summary>Computes the budget of <paramref name="group"/> with <paramref name="agent"/>'s confirmation settings.</summary>
    public static FailureDetectionBudget Compute(ServiceEngineGroup group, SeAgentProperties agent)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(agent);
        var aggressive = group.AggressiveFailureDetection;
        var suspicion = aggressive
            ? TimeSpan.FromMilliseconds((long)group.DpAggressiveHbFrequency * group.DpAggressiveHbTimeoutCount)
            : TimeSpan.FromMilliseconds((long)group.DpHbFrequency * group.DpHbTimeoutCount);
        var confirmation = aggressive
            ? TimeSpan.FromMilliseconds((long)agent.ControllerEchoRpcAggressiveTimeout * agent.ControllerEchoMissAggressiveLimit)
            : TimeSpan.FromMilliseconds((long)agent.ControllerEchoRpcTimeout * agent.ControllerEchoMissLimit);
        var management = TimeSpan.FromSeconds((long)agent.ControllerHeartbeatIntervalSec * agent.ControllerHeartbeatMissLimit);
        return new FailureDetectionBudget(aggressive, suspicion, confirmation, management);
    }
}
