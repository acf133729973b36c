using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// A PostgreSQL database as the stores use it: an <see cref="NpgsqlDataSource"/> (multi-host when the connection
/// string lists several hosts, then sending everything to the primary) whose connections have the configured
/// schema as their search path and the command timeout as both their connect and command timeout.
/// </summary>
internal sealed class PostgreSqlDatabase : StoreDatabase
{
    private const string VersionTable = "avi_persistence_schema";

    private readonly NpgsqlDataSource _owned;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;

    public PostgreSqlDatabase(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _schema = options.Schema;
        var seconds = (int)options.CommandTimeout.TotalSeconds;
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.SearchPath = options.Schema;
        settings.CommandTimeout = seconds;
        settings.Timeout = seconds;
        if (string.IsNullOrEmpty(settings.ApplicationName))
        {
            settings.ApplicationName = "aviorleans";
        }

        if (settings.Host!.Contains(',', StringComparison.Ordinal))
        {
            var multiHost = builder.BuildMultiHost();
            _owned = multiHost;

            // Membership, state and leases are written, so they must reach the primary unless the connection string says otherwise.
            _dataSource = string.IsNullOrEmpty(settings.TargetSessionAttributes)
                ? multiHost.WithTargetSession(TargetSessionAttributes.Primary)
                : multiHost;
        }
        else
        {
            _owned = _dataSource = builder.Build();
        }

        Description = string.Create(CultureInfo.InvariantCulture, $"PostgreSQL store {settings.Host}:{settings.Port}/{settings.Database ?? settings.Username} (schema {_schema})");
    }

    /// <inheritdoc/>
    public override string Description { get; }

    /// <inheritdoc/>
    public override string Invariant => "Npgsql";

    /// <inheritdoc/>
    public override DbDataSource DataSource => _dataSource;

    /// <inheritdoc/>
    /// <remarks>statement_timestamp() is fixed for one statement; 621355968000000000 is the tick count of 1970-01-01T00:00Z.</remarks>
    public override string NowTicksSql => "((extract(epoch FROM statement_timestamp()) * 10000000)::bigint + 621355968000000000)";

    /// <inheritdoc/>
    public override int LatestVersion => PostgreSqlSchema.LatestVersion;

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        await _owned.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override StoreFailure? Classify(Exception exception) => PostgreSqlErrors.Classify(exception);

    // Safe when several silos start at once: one transaction that first takes a transaction-scoped advisory lock
    // named after the schema, so migrations run one at a time, and that reads the version under the lock. DDL is
    // transactional in PostgreSQL, so a failed step leaves nothing behind.
    /// <inheritdoc/>
    protected override async Task<int> MigrateCoreAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        var transaction = await npgsql.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@lock_name));", npgsql, transaction))
            {
                serialize.Parameters.AddWithValue("lock_name", "aviorleans-persistence-schema:" + _schema);
                await serialize.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // A statement of its own, after the lock: its snapshot then sees what an earlier holder created.
            var (schemaExists, versionTableExists, queryTableExists) = await InspectAsync(npgsql, transaction, cancellationToken).ConfigureAwait(false);
            if (!versionTableExists && queryTableExists)
            {
                throw ForeignSchema();
            }

            // Only what is missing is created: CREATE ... IF NOT EXISTS checks the right to create before it checks
            // existence, and an application role may use tables in a schema it may not create in.
            if (!schemaExists)
            {
                await ExecuteAsync(npgsql, transaction, $"CREATE SCHEMA {_schema};", cancellationToken).ConfigureAwait(false);
            }

            if (!versionTableExists)
            {
                await ExecuteAsync(npgsql, transaction, $"""
                    CREATE TABLE {VersionTable} (
                        version integer NOT NULL PRIMARY KEY,
                        description text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    );
                    """, cancellationToken).ConfigureAwait(false);
            }

            var current = versionTableExists ? await ReadVersionAsync(npgsql, transaction, cancellationToken).ConfigureAwait(false) : 0;
            if (current > LatestVersion)
            {
                throw VersionMismatch(current);
            }

            foreach (var step in PostgreSqlSchema.Steps.Where(s => s.Version > current))
            {
                await ExecuteAsync(npgsql, transaction, step.Ddl, cancellationToken).ConfigureAwait(false);
                foreach (var (key, text) in step.Queries)
                {
                    using var upsert = new NpgsqlCommand("""
                        INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text)
                        ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
                        """, npgsql, transaction);
                    upsert.Parameters.AddWithValue("key", key);
                    upsert.Parameters.AddWithValue("text", text);
                    await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using var record = new NpgsqlCommand($"INSERT INTO {VersionTable} (version, description) VALUES (@version, @description);", npgsql, transaction);
                record.Parameters.AddWithValue("version", step.Version);
                record.Parameters.AddWithValue("description", step.Description);
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return current;
        }
    }

    /// <inheritdoc/>
    protected override async Task<int> CheckCoreAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        var (_, versionTableExists, queryTableExists) = await InspectAsync(npgsql, null, cancellationToken).ConfigureAwait(false);
        if (!versionTableExists)
        {
            throw queryTableExists
                ? ForeignSchema()
                : new StoreSchemaException($"The {Description} holds no AviOrleans schema; run `aviorleans-silo db migrate` or start a silo that migrates.");
        }

        var version = await ReadVersionAsync(npgsql, null, cancellationToken).ConfigureAwait(false);
        return version == LatestVersion ? version : throw VersionMismatch(version);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(bool Schema, bool VersionTable, bool QueryTable)> InspectAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        using var inspect = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema), to_regclass(@versions) IS NOT NULL, to_regclass(@queries) IS NOT NULL;",
            connection, transaction);
        inspect.Parameters.AddWithValue("schema", _schema);
        inspect.Parameters.AddWithValue("versions", _schema + "." + VersionTable);
        inspect.Parameters.AddWithValue("queries", _schema + ".orleansquery");
        var reader = await inspect.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2));
        }
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        using var read = new NpgsqlCommand($"SELECT COALESCE(max(version), 0) FROM {VersionTable};", connection, transaction);
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
