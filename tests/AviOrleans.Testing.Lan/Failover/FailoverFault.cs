namespace AviOrleans.Testing.Lan.Failover;

/// <summary>The faults a failover run injects on the active host.</summary>
public enum FailoverFault
{
    /// <summary>The host freezes: every process on it gets SIGSTOP and its link goes down (<see cref="LanHost.FreezeAsync"/>); host death.</summary>
    HostFreeze = 1,

    /// <summary>The system's own agent on the host is killed with SIGKILL while the host stays up (keepalived's processes,
    /// an AviOrleans silo): the banner keeps running, so whatever the dead agent left configured keeps answering.</summary>
    AgentKill = 2,

    /// <summary>The host is cut off from its peers and the store while the clients still reach it (<see cref="LanHost.PartitionAsync"/>).</summary>
    Partition = 3,
}
