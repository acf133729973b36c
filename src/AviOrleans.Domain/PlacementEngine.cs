using AviOrleans.Domain.Internal;

namespace AviOrleans.Domain;

/// <summary>
/// The placement engine: a pure, deterministic function from a group's configuration, its SEs and VSs, the previous
/// placement, requests and the time to the next placement and the events that explain it. No I/O, no clock,
/// no randomness, no dependence on hash order: the same input always gives the same output.
/// <para>
/// Stability: only what an input change requires moves. A dead (or force-disabled, or removed) SE loses its
/// placements and only those VSs are re-placed; a new SE receives only VSs that lack placements, unless a policy
/// (legacy auto-redistribute) or a request says otherwise; a disabled SE's VSs migrate with a drain.
/// </para>
/// <para>
/// Input should be valid (<see cref="ConfigurationValidator"/>); the engine is defensive where it is cheap
/// (a legacy group never gets more than two SEs) and throws <see cref="ArgumentException"/> on duplicate names.
/// </para>
/// </summary>
public static class PlacementEngine
{
    /// <summary>Computes the next placement of <paramref name="input"/>'s group.</summary>
    /// <returns>The placement (the previous object, unchanged, when nothing changed), events and request outcomes.</returns>
    public static PlacementResult Compute(PlacementInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new PlacementComputation(input).Run();
    }
}
