namespace AviOrleans.Domain;

/// <summary>
/// The placement of one SE group at an epoch: every VS's SE lists, the SEs' resulting states, the legacy pair
/// state and the group's HA status. Produced by <see cref="PlacementEngine"/>; fed back as the previous placement.
/// </summary>
public sealed record GroupPlacement
{
    /// <summary>The group's name.</summary>
    public required string SeGroupRef { get; init; }

    /// <summary>The group's mode when this placement was computed.</summary>
    public HaMode HaMode { get; init; }

    /// <summary>Incremented by one each time anything in the placement changes; never decreases.</summary>
    public long Epoch { get; init; }

    /// <summary>The time of the computation (an input of the engine).</summary>
    public DateTimeOffset ComputedAt { get; init; }

    /// <summary>The group's virtual services, sorted by name (ordinal).</summary>
    public EquatableArray<VsPlacement> VirtualServices { get; init; }

    /// <summary>The group's SEs, sorted by name (ordinal).</summary>
    public EquatableArray<SeRuntime> ServiceEngines { get; init; }

    /// <summary>The pair state of a legacy group; null in elastic modes.</summary>
    public LegacyPairState? Legacy { get; init; }

    /// <summary>True when the group cannot give every VS its HA protection (N+M buffer short, no standby, too few SEs).</summary>
    public bool HaCompromised { get; init; }

    /// <summary>Why the group's HA is compromised; null otherwise.</summary>
    public string? HaCompromisedReason { get; init; }

    /// <summary>When auto-rebalance last moved or scaled a VS; null if never (one change per <c>auto_rebalance_interval</c>).</summary>
    public DateTimeOffset? LastAutoRebalanceAt { get; init; }

    /// <summary>Free slots on SEs that can take placements (the N+M buffer measure).</summary>
    public int FreeSlots { get; init; }

    /// <summary>
    /// The group's <c>min_scaleout_per_vs</c> (at least 2 in active/active) that the VSs' scale-out factors were computed
    /// against: when the group's minimum changes, the engine adjusts every factor by the D-MINMAX rules. 0 in a placement
    /// written before this field existed (the factors are then taken as they are).
    /// </summary>
    public int MinScaleoutPerVs { get; init; }

    /// <summary>How many SEs the group needs and why; null in a placement written before this field existed.</summary>
    public SeRequirement? SeRequirement { get; init; }

    /// <summary>The placement of <paramref name="vsRef"/>, or null (binary search over the sorted list).</summary>
    public VsPlacement? Find(string vsRef)
    {
        var items = VirtualServices.AsImmutableArray();
        int lo = 0, hi = items.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var cmp = string.CompareOrdinal(items[mid].VsRef, vsRef);
            if (cmp == 0)
            {
                return items[mid];
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }

    /// <summary>
    /// Every address that must be configured and the one SE that owns it: VIPs and SNAT IPs on the VS's primary
    /// (only when the VS's traffic and the VIP are enabled), floating interface IPs on the SE active for their side.
    /// Sorted by address. An address appears once (VSs sharing a VIP share its owner).
    /// </summary>
    public IReadOnlyList<AddressOwner> GetAddressOwners()
    {
        var owners = new SortedDictionary<string, AddressOwner>(StringComparer.Ordinal);
        foreach (var vs in VirtualServices)
        {
            var primary = vs.PrimarySeRef;
            if (primary is null || !vs.TrafficEnabled || vs.OperState != OperState.Up)
            {
                continue;
            }

            foreach (var vip in vs.Vip)
            {
                if (!vip.Enabled)
                {
                    continue;
                }

                if (vip.IpAddress is { } v4)
                {
                    owners.TryAdd(v4, new AddressOwner(v4, primary, AddressKind.Vip, vs.VsRef, vs.Epoch));
                }

                if (vip.Ip6Address is { } v6)
                {
                    owners.TryAdd(v6, new AddressOwner(v6, primary, AddressKind.Vip, vs.VsRef, vs.Epoch));
                }
            }

            foreach (var snat in vs.SnatIp)
            {
                owners.TryAdd(snat, new AddressOwner(snat, primary, AddressKind.SnatIp, vs.VsRef, vs.Epoch));
            }
        }

        if (Legacy is { } legacy)
        {
            AddFloating(owners, legacy.FloatingIntfIp, legacy.FloatingIntfIpOwner);
            AddFloating(owners, legacy.FloatingIntfIpSe2, legacy.FloatingIntfIpSe2Owner);
        }

        return [.. owners.Values];
    }

    /// <summary>
    /// The earliest time the engine must run again (with the same input), or null: a drain deadline (the drained
    /// placements are removed), or when a dead SE stops counting against <c>max_se</c>. Grains schedule a timer for it.
    /// </summary>
    public DateTimeOffset? GetNextDeadline()
    {
        DateTimeOffset? next = null;
        foreach (var se in ServiceEngines)
        {
            if (se.CountsAgainstMaxSeUntil is { } until && (next is null || until < next))
            {
                next = until;
            }
        }

        foreach (var vs in VirtualServices)
        {
            foreach (var entry in vs.SeList)
            {
                if (entry.DrainDeadline is { } deadline && (next is null || deadline < next))
                {
                    next = deadline;
                }
            }
        }

        return next;
    }

    /// <summary>The addresses <paramref name="seRef"/> must configure now.</summary>
    public IReadOnlyList<AddressOwner> GetAddressesOwnedBy(string seRef) =>
        [.. GetAddressOwners().Where(o => string.Equals(o.SeRef, seRef, StringComparison.Ordinal))];

    /// <summary>
    /// The SEs that health-check <paramref name="vsRef"/>'s pool servers: every non-draining placement, except
    /// standby ones when <paramref name="hmOnStandby"/> is false (AS-43, AS-44).
    /// </summary>
    public IReadOnlyList<string> GetHealthMonitoringSes(string vsRef, bool hmOnStandby)
    {
        var vs = Find(vsRef);
        if (vs is null || vs.OperState != OperState.Up)
        {
            return [];
        }

        return [.. vs.SeList.Where(e => !e.DeleteInProgress && (hmOnStandby || !e.IsStandby)).Select(e => e.SeRef)];
    }

    private void AddFloating(SortedDictionary<string, AddressOwner> owners, EquatableArray<string> addresses, string? owner)
    {
        if (owner is null)
        {
            return;
        }

        foreach (var address in addresses)
        {
            owners.TryAdd(address, new AddressOwner(address, owner, AddressKind.FloatingInterfaceIp, null, Epoch));
        }
    }
}
