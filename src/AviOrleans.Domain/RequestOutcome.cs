namespace AviOrleans.Domain;

/// <summary>Whether a <see cref="PlacementRequest"/> was carried out, and why not.</summary>
/// <param name="Request">The request.</param>
/// <param name="Accepted">True when carried out.</param>
/// <param name="Reason">Why it was refused (or a note on what it did).</param>
public sealed record RequestOutcome(PlacementRequest Request, bool Accepted, string Reason);
