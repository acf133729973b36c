using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>The outcome of a change: the placements it moved, the events that explain them, the watch position after it.</summary>
/// <param name="Changed">Placements whose epoch moved, ordered by virtual service name.</param>
/// <param name="Events">The engine's events, in order.</param>
/// <param name="Sequence">The change log's position right after the change.</param>
[GenerateSerializer, Immutable, Alias("avi.HaOperationResult")]
public sealed record HaOperationResult([property: Id(0)] IReadOnlyList<PlacementView> Changed, [property: Id(1)] IReadOnlyList<HaEvent> Events, [property: Id(2)] long Sequence);
