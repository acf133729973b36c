namespace AviOrleans.Grains;

/// <summary>Which placements a watch follows; null members match everything.</summary>
/// <param name="SeGroupRef">Only this group's virtual services.</param>
/// <param name="VirtualServiceRef">Only this virtual service.</param>
[GenerateSerializer, Immutable, Alias("avi.PlacementWatchFilter")]
public sealed record PlacementWatchFilter([property: Id(0)] string? SeGroupRef, [property: Id(1)] string? VirtualServiceRef)
{
    /// <summary>Every virtual service.</summary>
    public static PlacementWatchFilter All { get; } = new(null, null);

    /// <summary>True when <paramref name="view"/> passes the filter.</summary>
    public bool Matches(PlacementView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return (SeGroupRef is null || string.Equals(SeGroupRef, view.SeGroupRef, StringComparison.Ordinal))
            && (VirtualServiceRef is null || string.Equals(VirtualServiceRef, view.Placement.VsRef, StringComparison.Ordinal));
    }
}
