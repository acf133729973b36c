using System.Data.Common;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// A database the stores run their commands on. The stores' SQL is shared by SQLite and PostgreSQL (both take
/// <c>@name</c> parameters, <c>ON CONFLICT</c> and <c>RETURNING</c>); what differs lives here: how a connection
/// is opened, how the schema is migrated, and which driver failures mean "cannot reach the store".
/// </summary>
internal abstract class StoreDatabase : IAsyncDisposable
{
    /// <summary>A SQL expression for the store's current time, as the <c>modified_at</c> columns hold it.</summary>
    public abstract string NowSql { get; }

    /// <summary>
    /// A SQL expression for the store's current time as UTC ticks (100 ns since 0001-01-01), the same value every
    /// time it appears in one statement: the clock leases are judged by.
    /// </summary>
    public abstract string NowTicksSql { get; }

    /// <summary>
    /// Runs <paramref name="action"/> on an open connection once the schema is in place; a failure to reach the
    /// store becomes <see cref="Storage.StoreUnavailableException"/> naming <paramref name="operation"/>.
    /// </summary>
    public abstract Task<T> RunAsync<T>(string operation, Func<DbConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a transaction in which the first statement takes the write lock it needs, so that conditional
    /// writes on the same rows are serialized by the store.
    /// </summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();

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
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
