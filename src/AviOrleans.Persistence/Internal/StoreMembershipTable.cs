using Orleans;
using Orleans.Runtime;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// Orleans' ADO.NET membership table (<c>AdoNetClusteringTable</c>) on one of our databases: the schema is
/// migrated (or checked) before the table is initialized, and driver failures become <see cref="StoreException"/>s.
/// Every decision (conditional inserts and updates, versions, ETags) is the provider's and our SQL's.
/// </summary>
internal sealed class StoreMembershipTable(IMembershipTable inner, StoreDatabase database, bool migrate) : IMembershipTable
{
    /// <inheritdoc/>
    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion);

    /// <inheritdoc/>
    public Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "initializing the membership table", async () =>
        {
            await database.PrepareAsync(migrate, cancellationToken).ConfigureAwait(false);
            await inner.InitializeMembershipTableAsync(tryInitTableVersion, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId);

    /// <inheritdoc/>
    public Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "deleting the membership table's entries", () => inner.DeleteMembershipTableEntriesAsync(clusterId, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate);

    /// <inheritdoc/>
    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "removing defunct membership entries", () => inner.CleanupDefunctSiloEntriesAsync(beforeDate, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key);

    /// <inheritdoc/>
    public Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "reading a membership row", () => inner.ReadRowAsync(key, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<MembershipTableData> ReadAll() => ReadAllAsync();

    /// <inheritdoc/>
    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "reading the membership table", () => inner.ReadAllAsync(cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion);

    /// <inheritdoc/>
    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "inserting a membership row", () => inner.InsertRowAsync(entry, tableVersion, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion);

    /// <inheritdoc/>
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "updating a membership row", () => inner.UpdateRowAsync(entry, etag, tableVersion, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry);

    /// <inheritdoc/>
    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken = default) =>
        StoreCall.RunAsync(database, "writing an I-am-alive time", () => inner.UpdateIAmAliveAsync(entry, cancellationToken), cancellationToken);
}
