using System.Collections.Immutable;
using AviOrleans.Domain;

namespace AviOrleans.Grains.Internal;

/// <summary>
/// One consistent state of the control plane: the configuration, each group's placement, and when
/// each virtual service's placement last changed. Immutable: readers take the current instance
/// without a lock, and a change publishes a new one.
/// </summary>
/// <param name="Configuration">Groups, SEs, shared VIPs and virtual services.</param>
/// <param name="Placements">Each group's last placement, by group name.</param>
/// <param name="LastChanged">When each virtual service's placement last changed, by name.</param>
internal sealed record ControlPlaneState(
    HaConfiguration Configuration,
    ImmutableDictionary<string, GroupPlacement> Placements,
    ImmutableDictionary<string, DateTimeOffset> LastChanged)
{
    public static ControlPlaneState Empty { get; } = new(
        new HaConfiguration(),
        ImmutableDictionary.Create<string, GroupPlacement>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal));

    public PlacementView? ViewOf(string vsName)
    {
        var vs = Configuration.VirtualServices.FirstOrDefault(v => string.Equals(v.Name, vsName, StringComparison.Ordinal));
        if (vs is null || !Placements.TryGetValue(vs.SeGroupRef, out var placement) || placement.Find(vsName) is not { } p)
        {
            return null;
        }

        return new PlacementView(vs.SeGroupRef, p, LastChanged.GetValueOrDefault(vsName, placement.ComputedAt));
    }

    public IEnumerable<PlacementView> Views(string? seGroupRef) =>
        Placements.Values
            .Where(g => seGroupRef is null || string.Equals(g.SeGroupRef, seGroupRef, StringComparison.Ordinal))
            .SelectMany(g => g.VirtualServices.Select(p => new PlacementView(g.SeGroupRef, p, LastChanged.GetValueOrDefault(p.VsRef, g.ComputedAt))))
            .OrderBy(v => v.Placement.VsRef, StringComparer.Ordinal);
}
