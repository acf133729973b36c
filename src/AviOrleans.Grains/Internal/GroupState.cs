using System.Collections.Immutable;
using AviOrleans.Domain;

namespace AviOrleans.Grains.Internal;

/// <summary>
/// What a group grain persists: its configuration, its last placement (whose epoch every
/// ownership order carries) and when each virtual service's placement last changed. Written as
/// one value after each decision; the storage's ETag makes a stale activation's write fail.
/// </summary>
[GenerateSerializer, Alias("avi.GroupState")]
internal sealed class GroupState
{
    [Id(0)]
    public ServiceEngineGroup? Group { get; set; }

    [Id(1)]
    public ImmutableSortedDictionary<string, ServiceEngine> Engines { get; set; } = GroupConfig.Empty.Engines;

    [Id(2)]
    public ImmutableSortedDictionary<string, VirtualService> VirtualServices { get; set; } = GroupConfig.Empty.VirtualServices;

    [Id(3)]
    public ImmutableSortedDictionary<string, VsVip> VsVips { get; set; } = GroupConfig.Empty.VsVips;

    [Id(4)]
    public GroupPlacement? Placement { get; set; }

    [Id(5)]
    public ImmutableSortedDictionary<string, DateTimeOffset> LastChanged { get; set; } = ImmutableSortedDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);

    public GroupConfig ToConfig() => new(
        Group,
        Engines.WithComparers(StringComparer.Ordinal),
        VirtualServices.WithComparers(StringComparer.Ordinal),
        VsVips.WithComparers(StringComparer.Ordinal));

    public static GroupState From(GroupConfig config, GroupPlacement? placement, ImmutableSortedDictionary<string, DateTimeOffset> lastChanged) => new()
    {
        Group = config.Group,
        Engines = config.Engines,
        VirtualServices = config.VirtualServices,
        VsVips = config.VsVips,
        Placement = placement,
        LastChanged = lastChanged,
    };
}
