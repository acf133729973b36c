namespace AviOrleans.Domain;

/// <summary>Why a group needs service engines it does not have (<see cref="SeNeed"/>).</summary>
public enum SeNeedReason
{
    /// <summary>N+M: fewer than <c>buffer_se × max_vs_per_se</c> free slots on the SEs that can take placements.</summary>
    BufferShort = 0,

    /// <summary>Legacy HA: the pair has fewer than two live SEs, so its virtual services run without a standby.</summary>
    StandbyMissing = 1,

    /// <summary>Enabled virtual services have no placement at all (<c>OPER_RESOURCES</c>, or down in legacy HA).</summary>
    VsAwaitingPlacement = 2,

    /// <summary>Placed virtual services have fewer SEs than they request (<c>VS_SCALEOUT_DONE_AWAITING_MORE_SE</c>).</summary>
    VsAwaitingMoreSes = 3,

    /// <summary>
    /// <c>PLACEMENT_ALGO_DISTRIBUTED</c>: Avi places every new placement on a new SE until the group has <c>max_se</c>
    /// SEs, and would have created them; the placements share existing SEs meanwhile.
    /// </summary>
    DistributedSpread = 4,
}
