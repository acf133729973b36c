namespace AviOrleans.Domain.Internal;

/// <summary>
/// A placement unit: the VSs that share one VIP set (a <c>vsvip_ref</c>), or one VS with its own VIPs. A unit has
/// one SE list; its weight is the number of its enabled VSs (each takes a slot on every SE of the list).
/// </summary>
internal sealed class EngineUnit
{
    public required string Key { get; init; }

    public required List<int> Members { get; init; }

    public required EquatableArray<Vip> Vips { get; init; }

    public List<EngineEntry> Entries { get; } = [];

    public int Weight { get; set; }

    public int PreviousWeight { get; set; }

    public int ScaleoutFactor { get; set; }

    /// <summary>The unit had at least one placement before this computation.</summary>
    public bool HadEntries { get; set; }

    /// <summary>A placement was dropped in this computation because its SE died, left or was force-disabled.</summary>
    public bool LostPlacement { get; set; }

    public ActiveStandbySeTag Tag { get; set; }

    public OperState State { get; set; }

    public string? Reason { get; set; }

    public bool HaCompromised { get; set; }

    /// <summary>The previous placement of the unit's first placed member (state, reason, HA flag).</summary>
    public VsPlacement? Previous { get; set; }

    public int ActiveCount
    {
        get
        {
            var n = 0;
            foreach (var e in Entries)
            {
                if (!e.Deleting && !e.IsStandby)
                {
                    n++;
                }
            }

            return n;
        }
    }

    public int PrimaryIndex()
    {
        for (var i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].IsPrimary && !Entries[i].Deleting)
            {
                return i;
            }
        }

        return -1;
    }

    public bool HasEntryOn(int se)
    {
        foreach (var e in Entries)
        {
            if (e.Se == se)
            {
                return true;
            }
        }

        return false;
    }

    public int NextSecIdx()
    {
        var max = -1;
        foreach (var e in Entries)
        {
            max = Math.Max(max, e.SecIdx);
        }

        return max + 1;
    }
}
