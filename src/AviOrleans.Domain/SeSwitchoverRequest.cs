namespace AviOrleans.Domain;

/// <summary>
/// <c>POST /serviceengine/{uuid}/switchover</c>: every VS active on the SE becomes active on its peer, with the
/// floating interface IPs it owns (legacy HA only; standby instances are untouched, AS-47).
/// </summary>
public sealed record SeSwitchoverRequest : PlacementRequest
{
    /// <summary>The SE to switch away from.</summary>
    public required string SeRef { get; init; }

    /// <inheritdoc/>
    public override string Describe() => $"switchover serviceengine {SeRef}";
}
