namespace AviOrleans.Domain;

/// <summary><c>POST /virtualservice/{uuid}/switchover</c>: make the standby SE active for this VS (legacy HA only).</summary>
public sealed record VsSwitchoverRequest : PlacementRequest
{
    /// <summary>The VS.</summary>
    public required string VsRef { get; init; }

    /// <summary><c>vip_id</c>: informational.</summary>
    public string? VipId { get; init; }

    /// <inheritdoc/>
    public override string Describe() => $"switchover virtualservice {VsRef}";
}
