using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// Connections to one SQLite file for Orleans' ADO.NET providers and the lease store: pooled, each opened with
/// the busy timeout and the flush policy (both belong to a connection, not to the file), and opened on a
/// thread-pool thread.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite does its work synchronously inside its async methods, and a file locked by another
/// process keeps it waiting for the whole busy timeout. Orleans' providers continue after opening the
/// connection with <c>ConfigureAwait(false)</c>, so opening it on the thread pool moves that wait off the
/// caller: a membership timer or a grain turn is never held for the busy timeout, and a held timer callback
/// would stall failure detection.
/// </remarks>
internal sealed class SqliteDataSource : DbDataSource
{
    private readonly string _pragmas;

    public SqliteDataSource(string databasePath, TimeSpan commandTimeout, bool flushEveryCommit, SqliteOpenMode mode)
    {
        var busyTimeout = (int)Math.Ceiling(commandTimeout.TotalMilliseconds);
        _pragmas = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {busyTimeout}; PRAGMA synchronous = {(flushEveryCommit ? "FULL" : "NORMAL")};");
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = mode,
            Pooling = true,

            // The driver also retries a busy statement itself for this long (it counts whole seconds).
            DefaultTimeout = (int)Math.Ceiling(commandTimeout.TotalSeconds),
        }.ToString();
    }

    /// <inheritdoc/>
    public override string ConnectionString { get; }

    /// <inheritdoc/>
    protected override DbConnection CreateDbConnection() => new SqliteConnection(ConnectionString);

    /// <inheritdoc/>
    protected override DbConnection OpenDbConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = _pragmas;
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ClearPool();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override ValueTask DisposeAsyncCore()
    {
        ClearPool();
        return base.DisposeAsyncCore();
    }

    // The driver pools connections per connection string; closing them releases the file (and its WAL locks).
    private void ClearPool()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc/>
    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await Task.Run(OpenDbConnection, cancellationToken).ConfigureAwait(false);
}
