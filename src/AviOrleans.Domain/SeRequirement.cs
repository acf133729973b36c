namespace AviOrleans.Domain;

/// <summary>
/// How many service engines a group needs and why: what an Avi admin reads from the controller (Avi creates the SEs
/// with write access; AviOrleans' SEs are the operator's, so the engine says what to add). Computed by the engine
/// with every placement.
/// </summary>
public sealed record SeRequirement
{
    /// <summary>
    /// SEs the group wants in use for its enabled virtual services at full HA: N + M in N+M
    /// (N = ceil(requested placements / slots per SE), M = <c>buffer_se</c>), enough SEs for the VS that requests the
    /// most, every placement on an SE of its own up to <c>max_se</c> with <c>PLACEMENT_ALGO_DISTRIBUTED</c>, and 2 for
    /// a legacy pair. 0 when the group has no enabled virtual service. May exceed <c>max_se</c> (then the group's HA
    /// is compromised until <c>max_se</c> is raised).
    /// </summary>
    public int SesNeeded { get; init; }

    /// <summary>SEs that serve or can take placements now: up, and enabled or holding placements; SEs being disabled are leaving and not counted.</summary>
    public int SesUsable { get; init; }

    /// <summary>SEs to add so that the group has what it needs: <c>max(0, SesNeeded − SesUsable)</c>.</summary>
    public int SesMissing { get; init; }

    /// <summary>SEs counting against <c>max_se</c>: every registered SE except dead ones past their retention (<see cref="ControllerProperties.GetDeadSeRetention"/>).</summary>
    public int SesCountingAgainstMaxSe { get; init; }

    /// <summary>The group's <c>max_se</c>.</summary>
    public int MaxSe { get; init; }

    /// <summary>How many SEs may be registered in the group now: <c>max(0, max_se − SesCountingAgainstMaxSe)</c>.</summary>
    public int SesAddable { get; init; }

    /// <summary>
    /// Every shortfall of the group, in a fixed order (buffer, standby, waiting VSs, short VSs, distributed spread); empty
    /// when the group has all it needs. A need can remain with nothing to add when <c>max_se</c> is reached.
    /// </summary>
    public EquatableArray<SeNeed> Needs { get; init; }
}
