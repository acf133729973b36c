namespace AviOrleans.Grains;

/// <summary>Progress of a rolling upgrade.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="SeGroupRef">The group.</param>
/// <param name="SeRef">The SE concerned; null for the group as a whole.</param>
/// <param name="CompletedSe">SEs upgraded so far.</param>
/// <param name="TotalSe">SEs to upgrade.</param>
/// <param name="Description">What the step did or why it failed, for people.</param>
/// <param name="Changed">Placements this step moved.</param>
[GenerateSerializer, Immutable, Alias("avi.UpgradeReport")]
public sealed record UpgradeReport([property: Id(0)] UpgradeReportKind Kind, [property: Id(1)] string SeGroupRef, [property: Id(2)] string? SeRef, [property: Id(3)] int CompletedSe, [property: Id(4)] int TotalSe, [property: Id(5)] string Description, [property: Id(6)] IReadOnlyList<PlacementView> Changed);
