namespace AviOrleans.Domain;

/// <summary>
/// One gateway monitor as one SE sees it: Avi's <c>GatewayMonitor</c> (<c>gateway_ip</c>, probed by ICMP echo from every SE
/// of a legacy pair every <c>gateway_monitor_interval</c>) and its result. The prober applies Avi's thresholds: a gateway
/// is unreachable after <c>gateway_monitor_fail_threshold</c> consecutive misses and reachable again after
/// <c>gateway_monitor_success_threshold</c> consecutive answers.
/// </summary>
public sealed record GatewayMonitorStatus
{
    /// <summary><c>gateway_ip</c>: the next hop that is monitored.</summary>
    public required string GatewayIp { get; init; }

    /// <summary>False while the SE cannot reach the gateway. Default: true.</summary>
    public bool Reachable { get; init; } = true;
}
