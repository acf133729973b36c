namespace AviOrleans.Domain;

/// <summary>Everything the placement engine decides from: a group, its SEs and VSs, the previous placement, requests and the time.</summary>
public sealed record PlacementInput
{
    /// <summary>The group.</summary>
    public required ServiceEngineGroup Group { get; init; }

    /// <summary>The SEs; those of other groups are ignored. Names must be unique.</summary>
    public EquatableArray<ServiceEngine> ServiceEngines { get; init; }

    /// <summary>The VSs; those of other groups are ignored. Names must be unique.</summary>
    public EquatableArray<VirtualService> VirtualServices { get; init; }

    /// <summary>The shared VIP sets the VSs refer to.</summary>
    public EquatableArray<VsVip> VsVips { get; init; }

    /// <summary>The previous placement of this group; null for the first computation.</summary>
    public GroupPlacement? Previous { get; init; }

    /// <summary>Operations to carry out, in order.</summary>
    public EquatableArray<PlacementRequest> Requests { get; init; }

    /// <summary>
    /// SE load samples for auto-rebalance (AS-31, AS-32); empty: no rebalancing decision at all. Samples of SEs
    /// outside the group are ignored.
    /// </summary>
    public EquatableArray<SeLoadSample> LoadSamples { get; init; }

    /// <summary>The current time (drains end at a deadline). The engine reads no clock.</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>The controller's SE timers (how long a dead SE counts against <c>max_se</c>). Default: Avi's defaults.</summary>
    public ControllerProperties ControllerProperties { get; init; } = new();

    /// <summary>Builds the input for group <paramref name="groupName"/> of <paramref name="configuration"/>.</summary>
    /// <exception cref="ArgumentException">The configuration has no such group.</exception>
    public static PlacementInput ForGroup(HaConfiguration configuration, string groupName, GroupPlacement? previous, DateTimeOffset now, params PlacementRequest[] requests)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var group = configuration.ServiceEngineGroups.FirstOrDefault(g => string.Equals(g.Name, groupName, StringComparison.Ordinal))
            ?? throw new ArgumentException($"No service engine group named '{groupName}'.", nameof(groupName));
        return new PlacementInput
        {
            Group = group,
            ServiceEngines = configuration.ServiceEngines.Where(s => string.Equals(s.SeGroupRef, groupName, StringComparison.Ordinal)).ToEquatableArray(),
            VirtualServices = configuration.VirtualServices.Where(v => string.Equals(v.SeGroupRef, groupName, StringComparison.Ordinal)).ToEquatableArray(),
            VsVips = configuration.VsVips,
            Previous = previous,
            Requests = requests,
            Now = now,
            ControllerProperties = configuration.ControllerProperties,
        };
    }
}
