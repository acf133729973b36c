using AviOrleans.Runtime.AdoNet.Internal;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// Leases of one cluster (<see cref="PostgreSqlStoreOptions.ClusterId"/>) in a PostgreSQL database, judged by the server's clock (so by one clock for every silo).
/// The schema is migrated before the first operation.
/// </summary>
public sealed class PostgreSqlLeaseStore : ILeaseStore, IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly LeaseCommands _commands;

    /// <summary>Creates the store; throws <see cref="ArgumentException"/> when <paramref name="options"/> are invalid.</summary>
    public PostgreSqlLeaseStore(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = new PostgreSqlDatabase(options);
        _commands = new LeaseCommands(_database, options.ClusterId);
    }

    /// <inheritdoc/>
    public Task<Lease?> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        _commands.TryAcquireAsync(name, owner, duration, cancellationToken);

    /// <inheritdoc/>
    public Task<Lease?> RenewAsync(string name, string owner, long epoch, TimeSpan duration, CancellationToken cancellationToken) =>
        _commands.RenewAsync(name, owner, epoch, duration, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellationToken) =>
        _commands.ReleaseAsync(name, owner, epoch, cancellationToken);

    /// <inheritdoc/>
    public Task<Lease?> ReadAsync(string name, CancellationToken cancellationToken) => _commands.ReadAsync(name, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
