namespace AviOrleans.Domain.Internal;

/// <summary>
/// The number of SEs a VS requests (D-MINMAX, §2.6): <c>min_scaleout_per_vs</c> + Avi's user scale-out factor. The factor
/// is 0 for a new VS (and in a group a VS moved to: it has no previous placement there), moves by one with each
/// manual (or auto-rebalance) scale-out and scale-in, and is kept in the VS's placement so that it survives
/// persistence. Changes of the group's minimum and maximum and a disable/enable apply Avi's rules here.
/// </summary>
internal sealed partial class PlacementComputation
{
    /// <summary>The group's minimum: <c>min_scaleout_per_vs</c>, at least 2 in active/active (§2.3).</summary>
    private int MinScaleout() => _group.HaMode == HaMode.SharedPair ? Math.Max(2, _group.MinScaleoutPerVs) : _group.MinScaleoutPerVs;

    /// <summary>
    /// The SEs a unit requests (Avi's <c>num_se_requested</c>): the minimum + the factor, at least 1. A lowered
    /// <c>max_scaleout_per_vs</c> does not cap it: the current scale of an existing VS is kept (D-MINMAX).
    /// </summary>
    private int TargetCount(EngineUnit unit) => Math.Max(1, MinScaleout() + unit.ScaleoutFactor);

    /// <summary>The unit's scale as a user sees it: what it requests, or more if it holds more active placements.</summary>
    private int CurrentScale(EngineUnit unit) => Math.Max(TargetCount(unit), unit.ActiveCount);

    /// <summary>Sets the factor so that the unit requests <paramref name="scale"/> SEs.</summary>
    private void SetScale(EngineUnit unit, int scale) => unit.ScaleoutFactor = scale - MinScaleout();

    /// <summary>
    /// Applies Avi's min/max rules (D-MINMAX) to a unit's factor taken from the previous placement:
    /// <list type="bullet">
    /// <item>the group's minimum changed (from the one the factors were computed against, <see cref="GroupPlacement.MinScaleoutPerVs"/>):
    /// the VS keeps the SEs it requested unless the new minimum is more, so a lowered minimum raises the factor by the
    /// difference and a raised one lowers it, not below 0 (placements are added only if the new minimum exceeds the
    /// current scale);</item>
    /// <item>the VS is enabled again after being disabled: its request is capped at <c>max_scaleout_per_vs</c>.</item>
    /// </list>
    /// A lowered maximum changes nothing else: existing VSs keep their scale.
    /// </summary>
    private void AdjustScaleoutFactor(EngineUnit unit, bool minChanged)
    {
        if (unit.Previous is null)
        {
            unit.ScaleoutFactor = 0;
            return;
        }

        var min = MinScaleout();
        if (minChanged)
        {
            var requestedBefore = Math.Max(1, _previous!.MinScaleoutPerVs + unit.ScaleoutFactor);
            unit.ScaleoutFactor = Math.Max(0, requestedBefore - min);
        }

        if (unit.Weight > 0 && !unit.HadEntries && unit.Previous.OperState == OperState.Disabled)
        {
            unit.ScaleoutFactor = Math.Min(unit.ScaleoutFactor, Math.Max(0, _group.MaxScaleoutPerVs - min));
        }
    }
}
