namespace AviOrleans.Domain;

/// <summary>The placement of one virtual service: per VIP SE lists, its operational state and why.</summary>
public sealed record VsPlacement
{
    /// <summary>The VS's name.</summary>
    public required string VsRef { get; init; }

    /// <summary>The shared VIP set, if any: every VS with the same <c>vsvip_ref</c> has the same SE lists.</summary>
    public string? VsvipRef { get; init; }

    /// <summary>Per-VIP placements (all with the same SE list).</summary>
    public EquatableArray<VipPlacement> Vip { get; init; }

    /// <summary>The VS's SNAT IPs, owned by the primary.</summary>
    public EquatableArray<string> SnatIp { get; init; }

    /// <summary><c>traffic_enabled</c>: false leaves every address unowned.</summary>
    public bool TrafficEnabled { get; init; } = true;

    /// <summary>
    /// <see cref="OperState.Up"/> (placed), <see cref="OperState.Disabled"/> (VS disabled),
    /// <see cref="OperState.Resources"/> (no capacity) or <see cref="OperState.Down"/> (no live SE).
    /// </summary>
    public OperState OperState { get; init; }

    /// <summary>Why the VS is not placed, or why its HA is compromised; null when all is well.</summary>
    public string? Reason { get; init; }

    /// <summary>True when the VS serves with less protection than its mode asks (no standby, fewer SEs than wanted).</summary>
    public bool HaCompromised { get; init; }

    /// <summary>
    /// Avi's user scale-out factor (D-MINMAX): 0 for a new VS, +1 per manual scale-out, −1 per scale-in; raised when the
    /// group's <c>min_scaleout_per_vs</c> is lowered, so that the VS keeps its scale; lowered (not below 0) when the
    /// minimum is raised, so that the VS grows only if the new minimum exceeds its scale; capped at
    /// <c>max_scaleout_per_vs</c> − minimum when the VS is enabled again; 0 in a group the VS moved to.
    /// </summary>
    public int ScaleoutFactor { get; init; }

    /// <summary>
    /// Avi's <c>num_se_requested</c>: the SEs the VS requests, <c>min_scaleout_per_vs</c> (at least 2 in active/active)
    /// + <see cref="ScaleoutFactor"/>, at least 1. Not capped by a lowered <c>max_scaleout_per_vs</c> (the current scale is
    /// kept). 1 in legacy HA (plus the standby). 0 while the VS is disabled.
    /// </summary>
    public int NumSeRequested { get; init; }

    /// <summary>Avi's <c>num_se_assigned</c>: the SEs actively serving the VS (primary and secondaries; no standby, no draining one).</summary>
    public int NumSeAssigned { get; init; }

    /// <summary>The group epoch at which this placement last changed: address orders carry it, and an agent ignores older ones.</summary>
    public long Epoch { get; init; }

    /// <summary>The SE list (of the first VIP; all VIPs share it). Empty when not placed.</summary>
    public EquatableArray<SeListEntry> SeList => Vip.IsEmpty ? default : Vip[0].SeList;

    /// <summary>The primary (VIP-owning) SE, or null.</summary>
    public string? PrimarySeRef
    {
        get
        {
            foreach (var entry in SeList)
            {
                if (entry.IsPrimary)
                {
                    return entry.SeRef;
                }
            }

            return null;
        }
    }
}
