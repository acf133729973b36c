using AviOrleans.Domain;

namespace AviOrleans.Grains;

/// <summary>One message of a placement watch.</summary>
/// <param name="Sequence">Position in the change log; a resume point.</param>
/// <param name="Kind">What the message says.</param>
/// <param name="View">The placement concerned; null for <see cref="PlacementChangeKind.Synced"/>.</param>
/// <param name="Events">What caused the change (updates and removals).</param>
/// <param name="Time">When the change was made.</param>
[GenerateSerializer, Immutable, Alias("avi.PlacementChange")]
public sealed record PlacementChange([property: Id(0)] long Sequence, [property: Id(1)] PlacementChangeKind Kind, [property: Id(2)] PlacementView? View, [property: Id(3)] EquatableArray<HaEvent> Events, [property: Id(4)] DateTimeOffset Time);
