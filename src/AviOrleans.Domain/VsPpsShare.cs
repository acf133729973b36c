namespace AviOrleans.Domain;

/// <summary>The share of an SE's packets per second that one VS produces.</summary>
/// <param name="VsRef">The VS.</param>
/// <param name="Percent">Its share in percent (0–100).</param>
public sealed record VsPpsShare(string VsRef, double Percent);
