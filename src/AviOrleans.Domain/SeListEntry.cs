namespace AviOrleans.Domain;

/// <summary>
/// One SE of a VIP's placement, as in Avi's <c>SeList</c>: the primary owns the VIP (answers ARP), secondaries
/// carry flows the primary hands them, the standby (legacy HA) is ready to take over.
/// </summary>
public sealed record SeListEntry
{
    /// <summary><c>se_ref</c>: the SE.</summary>
    public required string SeRef { get; init; }

    /// <summary><c>is_primary</c>: this SE owns the VIP and the VS's SNAT IPs.</summary>
    public bool IsPrimary { get; init; }

    /// <summary><c>is_standby</c>: legacy HA standby instance.</summary>
    public bool IsStandby { get; init; }

    /// <summary><c>sec_idx</c>: the order in which SEs were added (the primary is 0 here; Avi's default is 1).</summary>
    public int SecIdx { get; init; }

    /// <summary><c>delete_in_progress</c>: scaled in or migrated away; serves existing flows until <see cref="DrainDeadline"/>.</summary>
    public bool DeleteInProgress { get; init; }

    /// <summary>When a draining placement is removed (AviOrleans: now + <c>vs_scalein_timeout</c> at scale-in).</summary>
    public DateTimeOffset? DrainDeadline { get; init; }

    /// <summary>AviOrleans: the drain ends a migration (its end is <c>VS_MIGRATE_DONE</c>), not a scale-in.</summary>
    public bool Migrating { get; init; }
}
