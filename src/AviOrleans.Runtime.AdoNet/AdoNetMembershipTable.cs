using AviOrleans.Runtime.AdoNet.Internal;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// The membership table on a relational database: SQLite and PostgreSQL run the same commands and differ only
/// in their <see cref="StoreDatabase"/> (how to connect, migrate, and which driver failures mean "unreachable").
/// </summary>
public abstract class AdoNetMembershipTable : IMembershipTable, IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly MembershipCommands _commands;

    private protected AdoNetMembershipTable(StoreDatabase database, string clusterId)
    {
        _database = database;
        _commands = new MembershipCommands(database, clusterId);
    }

    /// <inheritdoc/>
    public Task InitializeAsync(bool tryInitTableVersion, CancellationToken cancellationToken) =>
        _commands.InitializeAsync(tryInitTableVersion, cancellationToken);

    /// <inheritdoc/>
    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) => _commands.ReadAllAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<MembershipTableData> ReadRowAsync(SiloAddress silo, CancellationToken cancellationToken) =>
        _commands.ReadRowAsync(silo, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken) =>
        _commands.InsertRowAsync(entry, version, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken) =>
        _commands.UpdateRowAsync(entry, version, cancellationToken);

    /// <inheritdoc/>
    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken) =>
        _commands.UpdateIAmAliveAsync(entry, cancellationToken);

    /// <inheritdoc/>
    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken) =>
        _commands.CleanupDefunctSiloEntriesAsync(beforeDate, cancellationToken);

    /// <inheritdoc/>
    public Task DeleteMembershipTableEntriesAsync(CancellationToken cancellationToken) =>
        _commands.DeleteMembershipTableEntriesAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
