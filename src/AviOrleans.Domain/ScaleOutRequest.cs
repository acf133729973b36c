namespace AviOrleans.Domain;

/// <summary><c>POST /virtualservice/{uuid}/scaleout</c>: add one SE to the VS (elastic modes; refused at <c>max_scaleout_per_vs</c>).</summary>
public sealed record ScaleOutRequest : PlacementRequest
{
    /// <summary>The VS.</summary>
    public required string VsRef { get; init; }

    /// <summary><c>vip_id</c>: informational; AviOrleans keeps a VS's VIPs on one SE list.</summary>
    public string? VipId { get; init; }

    /// <summary><c>to_se_ref</c>: the SE to add; null lets the placement algorithm choose.</summary>
    public string? ToSeRef { get; init; }

    /// <inheritdoc/>
    public override string Describe() => $"scaleout {VsRef}" + (ToSeRef is null ? string.Empty : $" to {ToSeRef}");
}
