using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>A virtual service's placement with the group it is in and when it last changed.</summary>
/// <param name="SeGroupRef">The group.</param>
/// <param name="Placement">The placement.</param>
/// <param name="LastChangedAt">When the placement last changed (its epoch moved).</param>
[GenerateSerializer, Immutable, Alias("avi.PlacementView")]
public sealed record PlacementView([property: Id(0)] string SeGroupRef, [property: Id(1)] VsPlacement Placement, [property: Id(2)] DateTimeOffset LastChangedAt);
