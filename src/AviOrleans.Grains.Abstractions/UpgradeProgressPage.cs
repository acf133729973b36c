using System.Collections.Immutable;

namespace AviOrleans.Grains;

/// <summary>An answer of <see cref="IGroupUpgradeGrain.ReadAsync"/>.</summary>
/// <param name="Reports">The run's reports from the asked one on, in order.</param>
/// <param name="Ended">True when the run is over (completed or suspended): no report follows these.</param>
[GenerateSerializer, Immutable, Alias("avi.UpgradeProgressPage")]
public sealed record UpgradeProgressPage(
    [property: Id(0)] ImmutableArray<UpgradeReport> Reports,
    [property: Id(1)] bool Ended);
