namespace AviOrleans.Domain;

/// <summary><c>POST /virtualservice/{uuid}/scalein</c>: remove one SE from the VS after a drain (refused at one placement).</summary>
public sealed record ScaleInRequest : PlacementRequest
{
    /// <summary>The VS.</summary>
    public required string VsRef { get; init; }

    /// <summary><c>vip_id</c>: informational.</summary>
    public string? VipId { get; init; }

    /// <summary><c>from_se_ref</c>: the SE to remove; null takes the newest secondary (or the primary with <see cref="ScaleinPrimary"/>).</summary>
    public string? FromSeRef { get; init; }

    /// <summary><c>scalein_primary</c>: allow removing the primary (a secondary is promoted first).</summary>
    public bool ScaleinPrimary { get; init; }

    /// <inheritdoc/>
    public override string Describe() => $"scalein {VsRef}" + (FromSeRef is null ? string.Empty : $" from {FromSeRef}");
}
