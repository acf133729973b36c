using AviOrleans.Runtime.AdoNet.Internal;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// The membership table of one cluster (<see cref="PostgreSqlStoreOptions.ClusterId"/>) in a PostgreSQL database (one or several hosts).
/// Several instances, in one process or many, may serve the same cluster: each is one silo's view of the
/// shared table. The schema is migrated before the first operation.
/// </summary>
public sealed class PostgreSqlMembershipTable : IMembershipTable, IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly MembershipCommands _commands;

    /// <summary>Creates the table; throws <see cref="ArgumentException"/> when <paramref name="options"/> are invalid.</summary>
    public PostgreSqlMembershipTable(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = new PostgreSqlDatabase(options);
        _commands = new MembershipCommands(_database, options.ClusterId);
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
    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
