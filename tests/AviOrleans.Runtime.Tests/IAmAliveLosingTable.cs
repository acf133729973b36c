using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.Tests;

/// <summary>An in-memory table whose I-am-alive writes fail while <see cref="LoseIAmAlive"/> is set (as during a store outage), every other call working.</summary>
internal sealed class IAmAliveLosingTable : IMembershipTable
{
    private readonly InMemoryMembershipTable _inner = new();

    private volatile bool _loseIAmAlive;

    public bool LoseIAmAlive
    {
        get => _loseIAmAlive;
        set => _loseIAmAlive = value;
    }

    public Task InitializeAsync(bool tryInitTableVersion, CancellationToken cancellationToken) => _inner.InitializeAsync(tryInitTableVersion, cancellationToken);

    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) => _inner.ReadAllAsync(cancellationToken);

    public Task<MembershipTableData> ReadRowAsync(SiloAddress silo, CancellationToken cancellationToken) => _inner.ReadRowAsync(silo, cancellationToken);

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken) =>
        _inner.InsertRowAsync(entry, version, cancellationToken);

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken) =>
        _inner.UpdateRowAsync(entry, etag, version, cancellationToken);

    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken) =>
        LoseIAmAlive ? Task.FromException(new StoreUnavailableException("I-am-alive writes are being lost.")) : _inner.UpdateIAmAliveAsync(entry, cancellationToken);

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken) =>
        _inner.CleanupDefunctSiloEntriesAsync(beforeDate, cancellationToken);

    public Task DeleteMembershipTableEntriesAsync(CancellationToken cancellationToken) => _inner.DeleteMembershipTableEntriesAsync(cancellationToken);
}
