namespace AviOrleans.Grains;

/// <summary>Progress of a rolling upgrade.</summary>
/// <param name="Kind">The step.</param>
/// <param name="SeGroupRef">The group.</param>
/// <param name="SeRef">The SE of an SE step; null otherwise.</param>
/// <param name="CompletedSe">SEs upgraded so far.</param>
/// <param name="TotalSe">SEs of the group.</param>
/// <param name="Reason">Why an SE failed; null otherwise.</param>
/// <param name="Changed">Placements this step moved.</param>
public sealed record UpgradeStep(UpgradeStepKind Kind, string SeGroupRef, string? SeRef, int CompletedSe, int TotalSe, string? Reason, IReadOnlyList<PlacementView> Changed);
