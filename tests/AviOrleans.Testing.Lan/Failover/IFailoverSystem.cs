namespace AviOrleans.Testing.Lan.Failover;

/// <summary>
/// A system under test that moves a VIP between SE hosts (keepalived now, AviOrleans when its silos run in the LAN).
/// <see cref="FailoverScenario"/> drives it: start, fault, measure, stop; the same run, LAN and probes for every
/// system, so their figures can be put side by side.
/// </summary>
public interface IFailoverSystem
{
    /// <summary>The name in reports, with the settings that matter (e.g. "keepalived VRRPv3, advert_int 0.1").</summary>
    string Name { get; }

    /// <summary>The period of the system's failure detection (VRRP's advert_int, a heartbeat interval): each run injects
    /// its fault at a random point of one such period, so that runs sample every phase of the detector.</summary>
    TimeSpan FaultPhaseWindow { get; }

    /// <summary>The tools it needs on the machine (<see cref="LanPrerequisites"/>).</summary>
    IReadOnlyList<string> RequiredTools { get; }

    /// <summary>Starts the system on the hosts and returns once it is steady: the VIP on <see cref="FailoverDeployment.Active"/>,
    /// the standby ready to take over. Every process it starts goes through <see cref="LanHost.StartProcess"/>.</summary>
    Task StartAsync(VirtualLan lan, FailoverDeployment deployment, CancellationToken cancellationToken);

    /// <summary>The fault <see cref="FailoverFault.AgentKill"/>: SIGKILL of the system's own processes on <paramref name="host"/>.</summary>
    Task<FaultWindow> KillAgentAsync(LanHost host, CancellationToken cancellationToken);

    /// <summary>Stops everything it started, on every host, by PID (frozen processes included). Addresses it left behind
    /// are the harness's to remove.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
