using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>The outcome of a change: the placements it moved, the events that explain them, the watch position after it.</summary>
/// <param name="Changed">Placements whose epoch moved, ordered by virtual service name.</param>
/// <param name="Events">The engine's events, in order.</param>
/// <param name="Sequence">The change log's position right after the change.</param>
public sealed record HaOperationResult(IReadOnlyList<PlacementView> Changed, IReadOnlyList<HaEvent> Events, long Sequence);
