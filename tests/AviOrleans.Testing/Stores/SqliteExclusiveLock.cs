using Microsoft.Data.Sqlite;

namespace AviOrleans.Testing.Stores;

/// <summary>
/// Another process's exclusive hold on a SQLite file: a connection in exclusive locking mode inside an
/// exclusive write transaction, so no other connection can read or write the file until it lets go.
/// </summary>
/// <remarks>
/// In WAL mode every open connection keeps a shared lock on the file, so the exclusive lock can only be
/// taken once this process's idle pooled connections are closed (as if the store had none open).
/// </remarks>
public sealed class SqliteExclusiveLock(string databasePath) : IStoreOutage
{
    private SqliteConnection? _connection;

    public async Task StartAsync()
    {
        SqliteConnection.ClearAllPools();
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, DefaultTimeout = 10 }.ToString());
        await _connection.OpenAsync();
        await using var command = _connection.CreateCommand();
        command.CommandText = """
            PRAGMA busy_timeout = 10000;
            PRAGMA locking_mode = EXCLUSIVE;
            BEGIN EXCLUSIVE;
            CREATE TABLE IF NOT EXISTS test_lock_holder (x INTEGER);
            INSERT INTO test_lock_holder VALUES (1);
            """;
        await command.ExecuteNonQueryAsync();
    }

    // Closing the connection rolls its transaction back and releases every lock it held.
    public async Task EndAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public async ValueTask DisposeAsync() => await EndAsync();
}
