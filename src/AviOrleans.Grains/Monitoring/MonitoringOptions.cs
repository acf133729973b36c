using AviOrleans.Netlink;

namespace AviOrleans.Grains.Monitoring;

/// <summary>How a silo's prober sends its gateway echoes.</summary>
public sealed class MonitoringOptions
{
    /// <summary>
    /// The network namespace (its <c>ip netns</c> name) the gateway echoes are sent from; null: the silo's own, which is
    /// the SE host's when the silo runs on it. Default: null.
    /// </summary>
    public string? GatewayNamespace { get; set; }

    /// <summary>The ICMP socket kind: a ping socket when <c>net.ipv4.ping_group_range</c> admits the process, else raw (<c>CAP_NET_RAW</c>). Default: <see cref="IcmpSocketKind.Any"/>.</summary>
    public IcmpSocketKind IcmpSocketKind { get; set; } = IcmpSocketKind.Any;
}
