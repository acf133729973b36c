using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// One SQLite database file as the stores use it: WAL journal (readers never wait for the writer; several
/// processes share the file), a busy timeout for the writer lock, and connections opened off the caller's thread.
/// Ordinary connections never create the file: only the migration does, so a client or a mistyped path does not
/// leave an empty database behind.
/// </summary>
internal sealed class SqliteDatabase : StoreDatabase
{
    private const string VersionTable = "avi_persistence_schema";

    private readonly SqliteDataSource _dataSource;
    private readonly SqliteDataSource _creating;

    static SqliteDatabase() => SQLitePCL.Batteries_V2.Init();

    public SqliteDatabase(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        FilePath = options.DatabasePath;
        _dataSource = new SqliteDataSource(FilePath, options.CommandTimeout, options.FlushEveryCommit, SqliteOpenMode.ReadWrite);
        _creating = new SqliteDataSource(FilePath, options.CommandTimeout, options.FlushEveryCommit, SqliteOpenMode.ReadWriteCreate);
        Description = $"SQLite store {FilePath}";
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public override string Description { get; }

    /// <inheritdoc/>
    public override string Invariant => "System.Data.SQLite";

    /// <inheritdoc/>
    public override DbDataSource DataSource => _dataSource;

    /// <inheritdoc/>
    /// <remarks>
    /// SQLite's 'now' has millisecond resolution and is fixed for one statement; 1721425.5 is the Julian day of
    /// 0001-01-01T00:00Z, where .NET ticks start.
    /// </remarks>
    public override string NowTicksSql => "(CAST(ROUND((julianday('now') - 1721425.5) * 86400000.0) AS INTEGER) * 10000)";

    /// <inheritdoc/>
    public override int LatestVersion => SqliteSchema.LatestVersion;

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _creating.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override StoreFailure? Classify(Exception exception) => SqliteErrors.Classify(exception);

    /// <inheritdoc/>
    protected override ValueTask<DbConnection> OpenForSchemaAsync(bool migrate, CancellationToken cancellationToken) =>
        new(Task.Run(() => OpenForSchema(migrate, cancellationToken), cancellationToken));

    // Safe when several processes start at once: the steps run under BEGIN IMMEDIATE (one writer at a time), which
    // reads the version after taking the write lock.
    /// <inheritdoc/>
    protected override Task<int> MigrateCoreAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;

        // The journal mode is a property of the file and cannot change inside a transaction.
        Execute(sqlite, null, "PRAGMA journal_mode = WAL;");
        using var transaction = sqlite.BeginTransaction(deferred: false);
        var (versionTableExists, queryTableExists) = Inspect(sqlite, transaction);
        if (!versionTableExists && queryTableExists)
        {
            throw ForeignSchema();
        }

        if (!versionTableExists)
        {
            Execute(sqlite, transaction, $"""
                CREATE TABLE {VersionTable} (
                    version INTEGER NOT NULL PRIMARY KEY,
                    description TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                );
                """);
        }

        var current = versionTableExists ? ReadVersion(sqlite, transaction) : 0;
        if (current > LatestVersion)
        {
            throw VersionMismatch(current);
        }

        foreach (var step in SqliteSchema.Steps.Where(s => s.Version > current))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Execute(sqlite, transaction, step.Ddl);
            foreach (var (key, text) in step.Queries)
            {
                using var upsert = Command(sqlite, """
                    INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text)
                    ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
                    """, transaction);
                Parameter(upsert, "@key", key);
                Parameter(upsert, "@text", text);
                upsert.ExecuteNonQuery();
            }

            using var record = Command(sqlite, $"""
                INSERT INTO {VersionTable} (version, description, applied_at)
                VALUES (@version, @description, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
                """, transaction);
            Parameter(record, "@version", step.Version);
            Parameter(record, "@description", step.Description);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.FromResult(current);
    }

    /// <inheritdoc/>
    protected override Task<int> CheckCoreAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;
        var (versionTableExists, queryTableExists) = Inspect(sqlite, null);
        if (!versionTableExists)
        {
            throw queryTableExists ? ForeignSchema() : NoSchema();
        }

        var version = ReadVersion(sqlite, null);
        return version == LatestVersion ? Task.FromResult(version) : throw VersionMismatch(version);
    }

    private StoreSchemaException NoSchema() =>
        new($"The {Description} holds no AviOrleans schema; start a silo on it (it migrates) or run `aviorleans-silo db migrate`.");

    private DbConnection OpenForSchema(bool migrate, CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath))
        {
            if (!migrate)
            {
                throw NoSchema();
            }

            PrepareFolder();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return (migrate ? _creating : _dataSource).OpenConnection();
    }

    // Creates the data folder and proves a file can be created in it, so that a folder that is read-only, not a
    // folder or not permitted is reported with the operating system's own reason rather than SQLite's bare
    // "unable to open database file".
    private void PrepareFolder()
    {
        var folder = Path.GetDirectoryName(FilePath)!;
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".aviorleans-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreConfigurationException(
                $"The {Description} cannot be created: the data folder '{folder}' is not a writable folder ({ex.Message}).", ex);
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = Command(connection, sql, transaction);
        command.ExecuteNonQuery();
    }

    private static (bool VersionTable, bool QueryTable) Inspect(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var inspect = Command(connection, $"""
            SELECT
                EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{VersionTable}'),
                EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'OrleansQuery' COLLATE NOCASE);
            """, transaction);
        using var reader = inspect.ExecuteReader();
        reader.Read();
        return (reader.GetBoolean(0), reader.GetBoolean(1));
    }

    private static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var read = Command(connection, $"SELECT COALESCE(max(version), 0) FROM {VersionTable};", transaction);
        return Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
