using System.Data.Common;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// One database the stores use: the <see cref="DbDataSource"/> Orleans' ADO.NET providers and the lease store open
/// their connections from, its schema (migrated or checked once per instance, before the first use), and the one
/// place that turns a driver failure into a <see cref="StoreException"/> naming the store and the cause.
/// Instances are shared by every provider that names the same database (<see cref="StoreDatabases"/>).
/// </summary>
internal abstract class StoreDatabase : IAsyncDisposable
{
    private readonly AsyncInitializer _migration;
    private readonly AsyncInitializer _check;

    protected StoreDatabase()
    {
        _migration = new AsyncInitializer(ct => RunSchemaAsync(migrate: true, ct));
        _check = new AsyncInitializer(ct => RunSchemaAsync(migrate: false, ct));
    }

    /// <summary>Where the store is, for messages: a file path, or host, port, database and schema (never credentials).</summary>
    public abstract string Description { get; }

    /// <summary>The ADO.NET invariant Orleans' providers are configured with.</summary>
    public abstract string Invariant { get; }

    /// <summary>Where connections come from (pooled, with the command timeout and per-connection settings applied).</summary>
    public abstract DbDataSource DataSource { get; }

    /// <summary>
    /// A SQL expression for the store's current time as UTC ticks (100 ns since 0001-01-01), the same value every
    /// time it appears in one statement: the clock leases are judged by.
    /// </summary>
    public abstract string NowTicksSql { get; }

    /// <summary>The schema version this build writes and expects.</summary>
    public abstract int LatestVersion { get; }

    /// <summary>The version the database was at before this instance migrated it (null until it did).</summary>
    public int? MigratedFromVersion { get; private set; }

    /// <summary>
    /// Creates or upgrades the schema, once per instance (a failed attempt is retried on the next call). Safe
    /// when several processes migrate the same database at once: each step is applied exactly once.
    /// </summary>
    public ValueTask MigrateAsync(CancellationToken cancellationToken) => _migration.EnsureAsync(cancellationToken);

    /// <summary>
    /// Checks, once per instance, that the schema is there and current without changing anything: what a client,
    /// or a silo that must not migrate, does before its first use.
    /// </summary>
    public ValueTask CheckSchemaAsync(CancellationToken cancellationToken) =>
        _migration.IsDone ? ValueTask.CompletedTask : _check.EnsureAsync(cancellationToken);

    /// <summary>Migrates (<paramref name="migrate"/>) or checks the schema: what a provider does before its first use.</summary>
    public ValueTask PrepareAsync(bool migrate, CancellationToken cancellationToken) =>
        migrate ? MigrateAsync(cancellationToken) : CheckSchemaAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> on an open connection; a driver failure becomes a <see cref="StoreException"/>
    /// naming <paramref name="operation"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(string operation, Func<DbConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await action(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (Translate(operation, ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The <see cref="StoreException"/> that <paramref name="exception"/> (thrown by the driver or by an Orleans
    /// provider while <paramref name="operation"/>) stands for, or null when it is not a store failure (a
    /// cancellation the caller asked for, a bug): such exceptions are rethrown as they are.
    /// </summary>
    public StoreException? Translate(string operation, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is StoreException store)
        {
            return store;
        }

        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var cause = Causes(exception);
        return Classify(exception) switch
        {
            StoreFailure.Unavailable => new StoreUnavailableException($"The {Description} is unavailable while {operation}: {cause}", exception),
            StoreFailure.Configuration => new StoreConfigurationException($"The {Description} refused {operation}: {cause}", exception),
            StoreFailure.Schema => new StoreSchemaException(
                $"The {Description} does not hold the AviOrleans schema ({operation}: {cause}); run `aviorleans-silo db migrate` or start a silo that migrates.",
                exception),
            _ => null,
        };
    }

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync()
    {
        _migration.Dispose();
        _check.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Makes a command on <paramref name="connection"/>, in <paramref name="transaction"/> when there is one.</summary>
    public static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Adds a named parameter to <paramref name="command"/>.</summary>
    public static void Parameter<T>(DbCommand command, string name, T value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = (object?)value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Which kind of store failure <paramref name="exception"/> is, or null when it is none.</summary>
    protected abstract StoreFailure? Classify(Exception exception);

    /// <summary>Applies the missing schema steps; returns the version the database was at before.</summary>
    protected abstract Task<int> MigrateCoreAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Reads the schema version without changing anything; throws <see cref="StoreSchemaException"/> unless current.</summary>
    protected abstract Task<int> CheckCoreAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the connection a schema operation runs on; <paramref name="migrate"/> tells whether it may create the
    /// database (SQLite creates the file and its folder only then).
    /// </summary>
    protected virtual ValueTask<DbConnection> OpenForSchemaAsync(bool migrate, CancellationToken cancellationToken) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>The message of a schema version this build cannot use.</summary>
    protected StoreSchemaException VersionMismatch(int found) => found > LatestVersion
        ? new StoreSchemaException($"The {Description} was migrated to schema version {found} by a newer AviOrleans; this build knows versions up to {LatestVersion}. Run the newer build, or restore a database of version {LatestVersion} or older.")
        : new StoreSchemaException($"The {Description} is at schema version {found}, this build needs {LatestVersion}; run `aviorleans-silo db migrate` or start a silo that migrates.");

    /// <summary>The message of tables another program created under the names Orleans reads.</summary>
    protected StoreSchemaException ForeignSchema() => new(
        $"The {Description} holds an OrleansQuery table that AviOrleans did not create (no avi_persistence_schema table beside it: Orleans' own scripts or another program?). " +
        "Use an empty database or schema for AviOrleans; it will not change tables it did not create.");

    // The messages of the exception and its inner exceptions, each once: Npgsql's "Failed to connect to
    // 127.0.0.1:5432" says where, its inner SocketException "Connection refused" says why.
    private static string Causes(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null && parts.Count < 4; current = current.InnerException)
        {
            var message = current.Message.Trim().TrimEnd('.');
            if (message.Length > 0 && !parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message);
            }
        }

        return string.Join(": ", parts);
    }

    private async Task RunSchemaAsync(bool migrate, CancellationToken cancellationToken)
    {
        var operation = migrate ? "migrating the schema" : "checking the schema";
        try
        {
            var connection = await OpenForSchemaAsync(migrate, cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                if (migrate)
                {
                    MigratedFromVersion = await MigrateCoreAsync(connection, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await CheckCoreAsync(connection, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (Translate(operation, ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }
}
