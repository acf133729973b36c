namespace AviOrleans.Domain;

/// <summary>
/// <c>POST /virtualservice/{uuid}/migrate</c>: scale out to the target, promote it if the source was primary, drain
/// the source (elastic modes only; refused in legacy HA, AS-48).
/// </summary>
public sealed record MigrateRequest : PlacementRequest
{
    /// <summary>The VS.</summary>
    public required string VsRef { get; init; }

    /// <summary><c>vip_id</c>: informational.</summary>
    public string? VipId { get; init; }

    /// <summary><c>from_se_ref</c>: the SE to leave; null is the primary.</summary>
    public string? FromSeRef { get; init; }

    /// <summary><c>to_se_ref</c>: the SE to go to; null lets the placement algorithm choose.</summary>
    public string? ToSeRef { get; init; }

    /// <inheritdoc/>
    public override string Describe() => $"migrate {VsRef}" + (FromSeRef is null ? string.Empty : $" from {FromSeRef}") + (ToSeRef is null ? string.Empty : $" to {ToSeRef}");
}
