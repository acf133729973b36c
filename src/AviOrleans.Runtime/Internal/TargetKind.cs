namespace AviOrleans.Runtime.Internal;

/// <summary>What a request addresses.</summary>
internal enum TargetKind : byte
{
    /// <summary>A grain method.</summary>
    Grain = 0,

    /// <summary>Probe: answer with how the receiver sees the prober (alive or dead).</summary>
    Probe = 1,

    /// <summary>Membership changed: re-read the table.</summary>
    MembershipGossip = 2,

    /// <summary>
    /// Hand-off: answer once this silo holds no activation of the grain named in the body, so that the grain's new
    /// owner activates it only after the old activation has finished (and written its state).
    /// </summary>
    AwaitDeactivation = 3,
}
