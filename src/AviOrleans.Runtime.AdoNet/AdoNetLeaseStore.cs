using AviOrleans.Runtime.AdoNet.Internal;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// The lease store on a relational database: SQLite and PostgreSQL run the same commands and differ only
/// in their <see cref="StoreDatabase"/> (how to connect, migrate, and which driver failures mean "unreachable").
/// </summary>
public abstract class AdoNetLeaseStore : ILeaseStore, IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly LeaseCommands _commands;

    private protected AdoNetLeaseStore(StoreDatabase database, string clusterId)
    {
        _database = database;
        _commands = new LeaseCommands(database, clusterId);
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
    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
