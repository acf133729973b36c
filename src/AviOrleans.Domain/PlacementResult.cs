namespace AviOrleans.Domain;

/// <summary>The engine's answer: the next placement, the events that explain it and the outcome of each request.</summary>
/// <param name="Placement">The next placement (the previous object itself when nothing changed).</param>
/// <param name="Events">What changed and why, in the order decided.</param>
/// <param name="Outcomes">One per request, in order.</param>
public sealed record PlacementResult(GroupPlacement Placement, EquatableArray<HaEvent> Events, EquatableArray<RequestOutcome> Outcomes)
{
    /// <summary>True when the placement differs from the previous one (its epoch advanced).</summary>
    public bool Changed { get; init; }
}
