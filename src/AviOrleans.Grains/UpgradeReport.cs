namespace AviOrleans.Grains;

/// <summary>Progress of a rolling upgrade.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="SeGroupRef">The group.</param>
/// <param name="SeRef">The SE concerned; null for the group as a whole.</param>
/// <param name="CompletedSe">SEs upgraded so far.</param>
/// <param name="TotalSe">SEs to upgrade.</param>
/// <param name="Description">What the step did or why it failed, for people.</param>
/// <param name="Changed">Placements this step moved.</param>
public sealed record UpgradeReport(UpgradeReportKind Kind, string SeGroupRef, string? SeRef, int CompletedSe, int TotalSe, string Description, IReadOnlyList<PlacementView> Changed);
