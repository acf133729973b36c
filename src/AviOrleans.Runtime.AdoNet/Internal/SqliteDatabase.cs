using System.Data.Common;
using System.Globalization;
using AviOrleans.Runtime.Storage;
using Microsoft.Data.Sqlite;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// One SQLite database file as the stores use it: pooled connections with a busy timeout, the WAL journal
/// (readers never wait for the writer), the schema migrated before the first operation, and every driver
/// failure that means "cannot reach the file" turned into <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class SqliteDatabase : StoreDatabase
{
    private readonly string _connectionString;
    private readonly string _openPragmas;
    private readonly AsyncInitializer _schema;

    static SqliteDatabase() => SQLitePCL.Batteries_V2.Init();

    public SqliteDatabase(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        FilePath = options.DatabasePath;
        // Both settings belong to a connection, not to the file, so every opened connection sets them.
        var busyTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalMilliseconds);
        var synchronous = options.FlushEveryCommit ? "FULL" : "NORMAL";
        _openPragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {busyTimeout}; PRAGMA synchronous = {synchronous};");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds),
        }.ToString();
        _schema = new AsyncInitializer(MigrateAsync);
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public override string NowSql => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    /// <inheritdoc/>
    /// <remarks>
    /// SQLite's 'now' has millisecond resolution and is fixed for one statement; 1721425.5 is the Julian day of
    /// 0001-01-01T00:00Z, where .NET ticks start.
    /// </remarks>
    public override string NowTicksSql => "(CAST(ROUND((julianday('now') - 1721425.5) * 86400000.0) AS INTEGER) * 10000)";

    /// <inheritdoc/>
    /// <remarks>
    /// Microsoft.Data.Sqlite does its work synchronously inside the async methods, and a locked file keeps it
    /// waiting for the whole busy timeout. The work therefore runs on a thread-pool thread of its own, so the
    /// caller (a timer callback of the membership agent, a grain turn) is never held for that long: a held
    /// timer callback would stall every timer of the process, failure detection included.
    /// </remarks>
    public override Task<T> RunAsync<T>(string operation, Func<DbConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        Task.Run(() => RunHereAsync(operation, action, cancellationToken), cancellationToken);

    private async Task<T> RunHereAsync<T>(string operation, Func<DbConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await _schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await action(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (SqliteErrors.IsUnavailable(ex))
        {
            throw new StoreUnavailableException($"The SQLite store '{FilePath}' is unavailable while {operation}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Starts a write transaction with BEGIN IMMEDIATE: it takes the write lock at once (waiting up to the busy
    /// timeout), so two writers never both read and then fail to upgrade.
    /// </summary>
    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(BeginWrite((SqliteConnection)connection));

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        _schema.Dispose();
        return ValueTask.CompletedTask;
    }

    private static SqliteTransaction BeginWrite(SqliteConnection connection) => connection.BeginTransaction(deferred: false);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = Command(connection, _openPragmas);
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Safe when several processes start at once: every step runs under BEGIN IMMEDIATE (one writer at a time)
    // and checks the version table inside that transaction before applying itself.
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // The journal mode is a property of the file and cannot change inside a transaction.
            using (var wal = Command(connection, "PRAGMA journal_mode = WAL;"))
            {
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var migration in SqliteMigrations.All)
            {
                using var transaction = BeginWrite(connection);
                using (var create = Command(connection, """
                    CREATE TABLE IF NOT EXISTS avi_schema_version (
                        version INTEGER NOT NULL PRIMARY KEY,
                        description TEXT NOT NULL,
                        applied_at TEXT NOT NULL
                    );
                    """, transaction))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using (var applied = Command(connection, "SELECT count(*) FROM avi_schema_version WHERE version = @version;", transaction))
                {
                    Parameter(applied, "@version", migration.Version);
                    if (Convert.ToInt64(await applied.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
                    {
                        transaction.Commit();
                        continue;
                    }
                }

                using (var step = Command(connection, migration.Sql, transaction))
                {
                    await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using (var record = Command(connection, """
                    INSERT INTO avi_schema_version (version, description, applied_at)
                    VALUES (@version, @description, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
                    """, transaction))
                {
                    Parameter(record, "@version", migration.Version);
                    Parameter(record, "@description", migration.Description);
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                transaction.Commit();
            }
        }
    }
}
