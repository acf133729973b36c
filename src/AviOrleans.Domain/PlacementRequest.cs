namespace AviOrleans.Domain;

/// <summary>
/// An operation asked of the placement engine (Avi's REST operations, §1.7). Each one is accepted or refused
/// with a reason (<see cref="RequestOutcome"/>); a refused one changes nothing.
/// </summary>
public abstract record PlacementRequest
{
    /// <summary>A short readable form for events and tables.</summary>
    public abstract string Describe();
}
