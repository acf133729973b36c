using Orleans.Runtime;

namespace AviOrleans.Grains;

/// <summary>
/// Places a grain on the Active silo whose name equals the grain's key (an SE grain on its own SE's
/// silo), and fails fast when there is none. The director is registered by
/// <c>AddSePinnedPlacement()</c> on the silo.
/// </summary>
[GenerateSerializer, Immutable, Alias("avi.SePinnedPlacement")]
public sealed class SePinnedPlacementStrategy : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static SePinnedPlacementStrategy Instance { get; } = new();

    /// <inheritdoc/>
    public override bool IsUsingGrainDirectory => true;
}
