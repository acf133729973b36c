namespace AviOrleans.Domain;

/// <summary>The next step of a rolling upgrade and why.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="SeRef">The SE it concerns, if any.</param>
/// <param name="Description">A readable explanation.</param>
public sealed record UpgradeStep(UpgradeStepKind Kind, string? SeRef, string Description);
