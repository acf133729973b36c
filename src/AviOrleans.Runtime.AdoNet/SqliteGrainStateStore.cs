using AviOrleans.Runtime.AdoNet.Internal;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// Grain state of one service (<see cref="SqliteStoreOptions.ServiceId"/>) in a SQLite database file (the embedded single-host default), with
/// optimistic concurrency on an ETag that is the row's version number. The schema is migrated before the
/// first operation (or by <see cref="InitializeAsync"/>).
/// </summary>
public sealed class SqliteGrainStateStore : IGrainStateStore, IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly GrainStateCommands _commands;

    /// <summary>Creates the store; throws <see cref="ArgumentException"/> when <paramref name="options"/> are invalid.</summary>
    public SqliteGrainStateStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = new SqliteDatabase(options);
        _commands = new GrainStateCommands(_database, options.ServiceId);
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
    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
