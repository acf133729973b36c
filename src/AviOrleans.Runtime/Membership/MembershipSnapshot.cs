namespace AviOrleans.Runtime.Membership;

/// <summary>One version of the membership table as a silo sees it. Snapshots are immutable and published in version order.</summary>
public sealed class MembershipSnapshot
{
    /// <summary>Creates a snapshot.</summary>
    public MembershipSnapshot(TableVersion version, IReadOnlyList<MembershipEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Version = version;
        Entries = entries;
        ActiveSilos = [.. entries.Where(e => e.Status == SiloStatus.Active).Select(e => e.Silo).OrderBy(s => s.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>The empty snapshot a silo starts from.</summary>
    public static MembershipSnapshot Empty { get; } = new(new TableVersion(-1, string.Empty), []);

    /// <summary>The table version this snapshot was read at.</summary>
    public TableVersion Version { get; }

    /// <summary>Every row.</summary>
    public IReadOnlyList<MembershipEntry> Entries { get; }

    /// <summary>The silos whose status is <see cref="SiloStatus.Active"/>, in a fixed order.</summary>
    public IReadOnlyList<SiloAddress> ActiveSilos { get; }

    /// <summary>The row of <paramref name="silo"/>, or null.</summary>
    public MembershipEntry? Find(SiloAddress silo)
    {
        foreach (var entry in Entries)
        {
            if (entry.Silo == silo)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The status of <paramref name="silo"/>; <see cref="SiloStatus.None"/> when it has no row.</summary>
    public SiloStatus GetStatus(SiloAddress silo) => Find(silo)?.Status ?? SiloStatus.None;

    /// <summary>
    /// The newest incarnation named <paramref name="siloName"/> whose status is Active, or null. An incarnation
    /// superseded by a newer generation at the same endpoint (a crashed silo whose row is not yet marked Dead, while
    /// its successor joins) never counts: it cannot be running.
    /// </summary>
    public MembershipEntry? FindActiveByName(string siloName)
    {
        MembershipEntry? found = null;
        foreach (var entry in Entries)
        {
            if (entry.Status == SiloStatus.Active && string.Equals(entry.SiloName, siloName, StringComparison.Ordinal)
                && (found is null || entry.Silo.Generation > found.Silo.Generation) && !IsSuperseded(entry.Silo))
            {
                found = entry;
            }
        }

        return found;
    }

    /// <summary>True when a row with the same endpoint and a newer generation exists (whatever its status).</summary>
    public bool IsSuperseded(SiloAddress silo)
    {
        foreach (var entry in Entries)
        {
            if (entry.Silo.Generation > silo.Generation && entry.Silo.Endpoint.Equals(silo.Endpoint))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"v{Version.Version}: " + string.Join(", ", Entries.Select(e => $"{e.SiloName}({e.Silo})={e.Status}"));
}
