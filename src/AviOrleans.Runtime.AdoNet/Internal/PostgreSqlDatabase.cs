using System.Data.Common;
using System.Globalization;
using AviOrleans.Runtime.Storage;
using Npgsql;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// A PostgreSQL database as the stores use it: an <see cref="NpgsqlDataSource"/> (multi-host when the
/// connection string lists several hosts, then sending everything to the primary), the tables in the
/// configured schema through the search path, the schema migrated before the first operation, and every
/// driver failure that means "cannot reach the store" turned into <see cref="StoreUnavailableException"/>.
/// </summary>
internal sealed class PostgreSqlDatabase : StoreDatabase
{
    private readonly NpgsqlDataSource _owned;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly AsyncInitializer _schemaMigration;

    public PostgreSqlDatabase(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _schema = options.Schema;
        var seconds = (int)options.CommandTimeout.TotalSeconds;
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        builder.ConnectionStringBuilder.SearchPath = options.Schema;
        builder.ConnectionStringBuilder.CommandTimeout = seconds;
        builder.ConnectionStringBuilder.Timeout = seconds;
        if (builder.ConnectionStringBuilder.Host!.Contains(',', StringComparison.Ordinal))
        {
            var multiHost = builder.BuildMultiHost();
            _owned = multiHost;

            // Membership and state are written, so they must reach the primary unless the connection string says otherwise.
            _dataSource = string.IsNullOrEmpty(builder.ConnectionStringBuilder.TargetSessionAttributes)
                ? multiHost.WithTargetSession(TargetSessionAttributes.Primary)
                : multiHost;
        }
        else
        {
            _owned = _dataSource = builder.Build();
        }

        Description = $"{builder.ConnectionStringBuilder.Host}:{builder.ConnectionStringBuilder.Port}/{builder.ConnectionStringBuilder.Database} schema {_schema}";
        _schemaMigration = new AsyncInitializer(MigrateAsync);
    }

    /// <summary>Where the store is, for messages (no credentials).</summary>
    public string Description { get; }

    /// <inheritdoc/>
    public override string NowSql => "now()";

    /// <inheritdoc/>
    /// <remarks>
    /// statement_timestamp() is fixed for one statement; 621355968000000000 is the tick count of 1970-01-01T00:00Z.
    /// </remarks>
    public override string NowTicksSql => "((extract(epoch FROM statement_timestamp()) * 10000000)::bigint + 621355968000000000)";

    /// <inheritdoc/>
    public override async Task<T> RunAsync<T>(string operation, Func<DbConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            await _schemaMigration.EnsureAsync(cancellationToken).ConfigureAwait(false);
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await action(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested) && PostgreSqlErrors.IsUnavailable(ex))
        {
            throw new StoreUnavailableException($"The PostgreSQL store {Description} is unavailable while {operation}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        _schemaMigration.Dispose();
        await _owned.DisposeAsync().ConfigureAwait(false);
    }

    // Safe when several silos start at once: every step runs in its own transaction that first takes a
    // transaction-scoped advisory lock named after the schema, so steps are applied one at a time, and each
    // checks the version table under that lock before applying itself. A failed step rolls back whole.
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            foreach (var migration in PostgreSqlMigrations.All)
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@lock_name));", connection, transaction))
                    {
                        serialize.Parameters.AddWithValue("lock_name", "aviorleans-schema:" + _schema);
                        await serialize.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    // A statement of its own, after the lock: its snapshot then sees what an earlier holder created.
                    bool schemaExists, versionTableExists;
                    using (var inspect = new NpgsqlCommand(
                        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema), to_regclass(@table) IS NOT NULL;", connection, transaction))
                    {
                        inspect.Parameters.AddWithValue("schema", _schema);
                        inspect.Parameters.AddWithValue("table", _schema + ".avi_schema_version");
                        var reader = await inspect.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                            schemaExists = reader.GetBoolean(0);
                            versionTableExists = reader.GetBoolean(1);
                        }
                    }

                    // Only what is missing is created: CREATE ... IF NOT EXISTS checks the right to create before it
                    // checks existence, and an application role may use tables in a schema it may not create in.
                    if (!schemaExists)
                    {
                        using var createSchema = new NpgsqlCommand($"CREATE SCHEMA {_schema};", connection, transaction);
                        await createSchema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (!versionTableExists)
                    {
                        using var createTable = new NpgsqlCommand("""
                            CREATE TABLE avi_schema_version (
                                version integer NOT NULL PRIMARY KEY,
                                description text NOT NULL,
                                applied_at timestamptz NOT NULL DEFAULT now()
                            );
                            """, connection, transaction);
                        await createTable.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    using (var applied = new NpgsqlCommand("SELECT count(*) FROM avi_schema_version WHERE version = @version;", connection, transaction))
                    {
                        applied.Parameters.AddWithValue("version", migration.Version);
                        if (Convert.ToInt64(await applied.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
                        {
                            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                            continue;
                        }
                    }

                    using (var step = new NpgsqlCommand(migration.Sql, connection, transaction))
                    {
                        await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    using (var record = new NpgsqlCommand("INSERT INTO avi_schema_version (version, description) VALUES (@version, @description);", connection, transaction))
                    {
                        record.Parameters.AddWithValue("version", migration.Version);
                        record.Parameters.AddWithValue("description", migration.Description);
                        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
