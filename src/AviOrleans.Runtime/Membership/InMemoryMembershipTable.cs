using System.Globalization;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.Membership;

/// <summary>
/// A membership table in memory, for tests and single-process clusters: one instance is one cluster's table,
/// shared by every silo of that cluster. It keeps the same contract as the ADO.NET tables (the version tag
/// is the only row tag), and can be switched off to play a store that is down.
/// </summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, MembershipEntry> _rows = [];
    private TableVersion? _version;

    /// <summary>When false every call throws <see cref="StoreUnavailableException"/>, as an unreachable store would. Default: true.</summary>
    public bool IsAvailable { get; set; } = true;

    /// <inheritdoc/>
    public Task InitializeAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfUnavailable();
            if (tryInitTableVersion)
            {
                _version ??= NewVersion(0);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfUnavailable();
            return Task.FromResult(Snapshot(_rows.Values));
        }
    }

    /// <inheritdoc/>
    public Task<MembershipTableData> ReadRowAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfUnavailable();
            return Task.FromResult(Snapshot(_rows.TryGetValue(silo, out var entry) ? [entry] : []));
        }
    }

    /// <inheritdoc/>
    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            ThrowIfUnavailable();
            if (_version is not { } current || current.VersionEtag != version.VersionEtag || _rows.ContainsKey(entry.Silo))
            {
                return Task.FromResult(false);
            }

            _rows[entry.Silo] = Detached(entry);
            _version = NewVersion(current.Version + 1);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            ThrowIfUnavailable();
            if (_version is not { } current || current.VersionEtag != version.VersionEtag || !_rows.ContainsKey(entry.Silo))
            {
                return Task.FromResult(false);
            }

            _rows[entry.Silo] = Detached(entry);
            _version = NewVersion(current.Version + 1);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            ThrowIfUnavailable();
            if (_rows.TryGetValue(entry.Silo, out var stored))
            {
                _rows[entry.Silo] = stored with { IAmAliveTime = entry.IAmAliveTime };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfUnavailable();
            foreach (var silo in _rows.Values.Where(e => e.Status != SiloStatus.Active && e.IAmAliveTime < beforeDate).Select(e => e.Silo).ToList())
            {
                _rows.Remove(silo);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task DeleteMembershipTableEntriesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfUnavailable();
            _rows.Clear();
            _version = null;
        }

        return Task.CompletedTask;
    }

    // Like the ADO.NET tables, the table version is the only tag: rows carry an empty one.
    private MembershipTableData Snapshot(IEnumerable<MembershipEntry> entries) =>
        new([.. entries.Select(e => new MembershipRow(e, string.Empty))], _version ?? NewVersion(0));

    // A durable store keeps a copy of what was written: so must this one, or a caller that later changes the
    // list it passed in would change the table behind its version.
    private static MembershipEntry Detached(MembershipEntry entry) => entry with { SuspectTimes = [.. entry.SuspectTimes] };

    private static TableVersion NewVersion(int version) => new(version, version.ToString(CultureInfo.InvariantCulture));

    private void ThrowIfUnavailable()
    {
        if (!IsAvailable)
        {
            throw new StoreUnavailableException("The in-memory membership table is switched off.");
        }
    }
}
