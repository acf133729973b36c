using AviOrleans.Runtime.AdoNet.Internal;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// The grain state store on a relational database: SQLite and PostgreSQL run the same commands and differ only
/// in their <see cref="StoreDatabase"/> (how to connect, migrate, and which driver failures mean "unreachable").
/// </summary>
public abstract class AdoNetGrainStateStore : IGrainStateStore, IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly GrainStateCommands _commands;

    private protected AdoNetGrainStateStore(StoreDatabase database, string serviceId)
    {
        _database = database;
        _commands = new GrainStateCommands(database, serviceId);
    }

    /// <summary>Migrates the schema now rather than on the first operation, so that a host finds a broken store at start.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        _database.RunAsync("migrating the schema", static (_, _) => Task.FromResult(true), cancellationToken);

    /// <inheritdoc/>
    public Task<GrainStateRecord?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken) =>
        _commands.ReadAsync(grainType, grainKey, cancellationToken);

    /// <inheritdoc/>
    public Task<string> WriteAsync(string grainType, string grainKey, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken) =>
        _commands.WriteAsync(grainType, grainKey, payload, expectedETag, cancellationToken);

    /// <inheritdoc/>
    public Task ClearAsync(string grainType, string grainKey, string? expectedETag, CancellationToken cancellationToken) =>
        _commands.ClearAsync(grainType, grainKey, expectedETag, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
