using System.Net;

namespace AviOrleans.Testing.Lan.Failover;

/// <summary>One failover run of <see cref="FailoverScenario"/>.</summary>
public sealed class FailoverRunOptions
{
    /// <summary>The fault to inject on the active host. Default: <see cref="FailoverFault.HostFreeze"/>.</summary>
    public FailoverFault Fault { get; init; } = FailoverFault.HostFreeze;

    /// <summary>The VIP. Default: <see cref="VirtualLan.Vip"/>(0), 192.0.2.100.</summary>
    public IPAddress Vip { get; init; } = VirtualLan.Vip(0);

    /// <summary>How long to wait for the survivor's first answer after the fault. Default: 20 seconds (FAILOVER-ANCHORS'
    /// bound per run).</summary>
    public TimeSpan MaxFailover { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long to keep probing and sampling after the survivor's first answer (or after giving up): the window in
    /// which duplicate ownership and the old host's answers are counted. Default: 2 seconds.</summary>
    public TimeSpan ObserveAfterFailover { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the system may take to become steady (the active host answering, the client's ARP entry on it).
    /// Default: 15 seconds.</summary>
    public TimeSpan SteadyTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the system runs steady before the fault (on top of the random phase): a pair in service has been
    /// up for a while, not for a few seconds. keepalived's backup is already settled by then (FAILOVER-ANCHORS waits
    /// 3 x advert_int + 0.3 s); a silo started seconds ago is still compiling its first requests' code. Default: zero.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.Zero;

    /// <summary>The probes' settings. Default: a new connection every 10 ms, each bounded at 1 s.</summary>
    public ProbeOptions Probe { get; init; } = new();

    /// <summary>Where the random fault phase comes from (seed it to repeat a run). Default: <see cref="Random.Shared"/>.</summary>
    public Random Random { get; init; } = Random.Shared;
}
