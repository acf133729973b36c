namespace AviOrleans.Domain;

/// <summary>
/// The controller-side failure-confirmation settings of Avi's <c>SeAgentProperties</c> (one set per cluster).
/// A datapath suspicion is confirmed by echoes before an SE is declared failed; see <see cref="FailureDetectionBudget"/>.
/// <para>
/// The defaults are AviOrleans' own and far faster than Avi's (AviOrleans confirms over silo-to-silo probes on the
/// SE hosts, not a remote controller); <see cref="Avi"/> holds Avi's schema defaults.
/// </para>
/// </summary>
public sealed record SeAgentProperties
{
    /// <summary>Avi's schema defaults (2000 ms × 4 echoes standard, 2000 ms × 2 aggressive, 12 s × 6 management heartbeats).</summary>
    public static SeAgentProperties Avi { get; } = new()
    {
        ControllerEchoRpcTimeout = 2000,
        ControllerEchoMissLimit = 4,
        ControllerEchoRpcAggressiveTimeout = 2000,
        ControllerEchoMissAggressiveLimit = 2,
        ControllerHeartbeatIntervalSec = 10,
        ControllerHeartbeatMissLimit = 6,
    };

    /// <summary><c>controller_echo_rpc_timeout</c> in milliseconds: timeout of one confirmation echo. Default: 200 (Avi: 2000).</summary>
    public int ControllerEchoRpcTimeout { get; init; } = 200;

    /// <summary><c>controller_echo_miss_limit</c> (1–1000): missed echoes before the suspect is declared failed. Default: 2 (Avi: 4).</summary>
    public int ControllerEchoMissLimit { get; init; } = 2;

    /// <summary><c>controller_echo_rpc_aggressive_timeout</c> in milliseconds. Default: 100 (Avi: 2000; Avi 16.3 docs: 500).</summary>
    public int ControllerEchoRpcAggressiveTimeout { get; init; } = 100;

    /// <summary><c>controller_echo_miss_aggressive_limit</c> (1–1000). Default: 2 (Avi: 2).</summary>
    public int ControllerEchoMissAggressiveLimit { get; init; } = 2;

    /// <summary>
    /// Management-path heartbeat interval in seconds (AviOrleans: Avi documents a fixed 10 s; the schema's
    /// <c>controller_heartbeat_timeout_sec</c> = 12 has no description). Default: 2 (Avi: 10).
    /// </summary>
    public int ControllerHeartbeatIntervalSec { get; init; } = 2;

    /// <summary><c>controller_heartbeat_miss_limit</c> (1–20): missed management heartbeats before the SE is down. Default: 3 (Avi: 6).</summary>
    public int ControllerHeartbeatMissLimit { get; init; } = 3;
}
