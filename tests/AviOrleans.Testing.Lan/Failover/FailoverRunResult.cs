namespace AviOrleans.Testing.Lan.Failover;

/// <summary>What one failover run measured; every time is counted from <see cref="FaultWindow.Started"/>.</summary>
public sealed record FailoverRunResult
{
    /// <summary>The system's name.</summary>
    public required string System { get; init; }

    /// <summary>The fault injected.</summary>
    public required FailoverFault Fault { get; init; }

    /// <summary>When the fault was injected.</summary>
    public required FaultWindow FaultWindow { get; init; }

    /// <summary>The random delay before the fault, within the system's <see cref="IFailoverSystem.FaultPhaseWindow"/>.</summary>
    public required TimeSpan Phase { get; init; }

    /// <summary>The failover time: to the completion of the client's first connection answered by the survivor; null
    /// when none came within <see cref="FailoverRunOptions.MaxFailover"/>.</summary>
    public required TimeSpan? Failover { get; init; }

    /// <summary>To the first change of the client's ARP entry for the VIP to the survivor's MAC (rtnetlink notification),
    /// or null.</summary>
    public required TimeSpan? ArpSwitch { get; init; }

    /// <summary>How long the run observed after the fault (to the survivor's first answer plus
    /// <see cref="FailoverRunOptions.ObserveAfterFailover"/>).</summary>
    public required TimeSpan Observed { get; init; }

    /// <summary>Ownership samples taken after the fault.</summary>
    public required int Samples { get; init; }

    /// <summary>Samples after the fault in which the VIP was on both hosts, both links up.</summary>
    public required int DuplicateSamples { get; init; }

    /// <summary>From the first to the last duplicate sample, or null when there was none.</summary>
    public required TimeSpan? DuplicateSpan { get; init; }

    /// <summary>Whether a second client, its ARP entry pinned to the old host's MAC, was probing (<see cref="VirtualLan"/> with two clients).</summary>
    public required bool OldHostWatched { get; init; }

    /// <summary>To the completion of the last connection the old host answered for the VIP (pinned client), or null
    /// when it answered none after the fault.</summary>
    public required TimeSpan? OldHostLastAnswer { get; init; }

    /// <summary>True when the old host still answered the pinned client's last attempts: it never stopped within
    /// <see cref="Observed"/> (keepalived after a SIGKILL).</summary>
    public required bool OldHostStillAnswering { get; init; }

    /// <summary>The main client's attempts that started after the fault.</summary>
    public required IReadOnlyList<ProbeAttempt> Attempts { get; init; }

    /// <summary>True when the survivor answered in time.</summary>
    public bool Succeeded => Failover is not null;
}
