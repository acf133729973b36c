namespace AviOrleans.Domain;

/// <summary>
/// Avi's <c>GatewayMonitor</c> (in Avi <c>VrfContext.gateway_mon[]</c>; here on the SE group, which stands for the
/// SEs' VRF): a next hop that every SE of a legacy-HA group pings. An SE counts the gateway as lost after
/// <see cref="GatewayMonitorFailThreshold"/> consecutive unanswered echoes and as reachable again after
/// <see cref="GatewayMonitorSuccessThreshold"/> consecutive answers (D-GWMON, AS-45).
/// </summary>
public sealed record GatewayMonitor
{
    /// <summary><c>gateway_ip</c>: the next hop (IPv4 or IPv6).</summary>
    public required string GatewayIp { get; init; }

    /// <summary><c>gateway_monitor_interval</c> in milliseconds between two echo requests (100–60000). Default: 1000.</summary>
    public int GatewayMonitorInterval { get; init; } = 1000;

    /// <summary><c>gateway_monitor_fail_threshold</c>: consecutive misses before the gateway is down (3–50). Default: 10.</summary>
    public int GatewayMonitorFailThreshold { get; init; } = 10;

    /// <summary><c>gateway_monitor_success_threshold</c>: consecutive answers before a down gateway is up again (3–50). Default: 15.</summary>
    public int GatewayMonitorSuccessThreshold { get; init; } = 15;
}
