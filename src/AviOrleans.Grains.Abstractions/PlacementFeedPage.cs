using System.Collections.Immutable;

namespace AviOrleans.Grains;

/// <summary>An answer of <see cref="IPlacementFeedGrain.ReadAsync"/>.</summary>
/// <param name="Changes">The matching changes, in order.</param>
/// <param name="Cursor">The sequence to read after next time (the last change looked at, matching or not).</param>
/// <param name="Lost">True when the log no longer holds every change after the asked sequence: start from a snapshot.</param>
[GenerateSerializer, Immutable, Alias("avi.PlacementFeedPage")]
public sealed record PlacementFeedPage(
    [property: Id(0)] ImmutableArray<PlacementChange> Changes,
    [property: Id(1)] long Cursor,
    [property: Id(2)] bool Lost);
