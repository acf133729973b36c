using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>A virtual service's placement with the group it is in and when it last changed.</summary>
/// <param name="SeGroupRef">The group.</param>
/// <param name="Placement">The placement.</param>
/// <param name="LastChangedAt">When the placement last changed (its epoch moved).</param>
public sealed record PlacementView(string SeGroupRef, VsPlacement Placement, DateTimeOffset LastChangedAt);
