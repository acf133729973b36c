namespace AviOrleans.Domain.Internal;

/// <summary>Mutable per-SE working state of one computation (indexed by the SE's position in name order).</summary>
internal sealed class EngineSe
{
    public required ServiceEngine Config { get; init; }

    public required int Index { get; init; }

    /// <summary>Host id for <c>vs_host_redundancy</c> (an SE without host_ref gets a host of its own).</summary>
    public required int Host { get; init; }

    public required int Capacity { get; init; }

    public string Name => Config.Name;

    /// <summary>Reported up: can serve.</summary>
    public bool Alive { get; init; }

    /// <summary>Keeps the placements it has (alive and not force-disabled).</summary>
    public bool CanHost { get; init; }

    /// <summary>Takes new placements (alive and enabled).</summary>
    public bool Eligible { get; init; }

    /// <summary>Reaches its gateways (the flag and every gateway monitor).</summary>
    public bool ReachesGateway { get; init; }

    /// <summary>Declared dead (<c>OPER_DOWN</c> or <c>OPER_FAILED</c>), as opposed to upgrading, inactive, ...</summary>
    public bool Dead { get; init; }

    /// <summary>Slots used, draining placements included.</summary>
    public int Load { get; set; }

    /// <summary>Load when the computation started, after dead placements were dropped (distributed A/A repairs go only to idle SEs).</summary>
    public int StartLoad { get; set; }

    /// <summary>Part of the group's working set (has placements, or was brought in for the N+M buffer).</summary>
    public bool InUse { get; set; }

    /// <summary>A VS of this disabled SE could not migrate.</summary>
    public bool MigrationFailed { get; set; }

    /// <summary>At least one VS started migrating away from this disabled SE in this computation.</summary>
    public bool MigrationStarted { get; set; }

    public int Free => Capacity - Load;
}
