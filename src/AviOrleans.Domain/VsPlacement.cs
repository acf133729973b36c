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

    /// <summary>The user scale-out factor: wanted placements = <c>min_scaleout_per_vs</c> + factor, within bounds (D-MINMAX).</summary>
    public int ScaleoutFactor { get; init; }

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
