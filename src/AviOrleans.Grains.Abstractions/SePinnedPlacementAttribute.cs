using Orleans.Placement;

namespace AviOrleans.Grains;

/// <summary>Pins a grain to the silo named after its key (<see cref="SePinnedPlacementStrategy"/>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = false)]
public sealed class SePinnedPlacementAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public SePinnedPlacementAttribute()
        : base(SePinnedPlacementStrategy.Instance)
    {
    }
}
