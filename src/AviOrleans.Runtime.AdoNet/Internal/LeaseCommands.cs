using System.Data.Common;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// Leases over SQL, shared by the SQLite and PostgreSQL stores: one row per (cluster, lease name) holding the
/// owner, the fencing epoch and the expiry in the store's clock (UTC ticks). Each operation is one statement
/// that reads the store's clock itself, so the decision "has it run out" never depends on a silo's clock, and
/// concurrent acquirers are serialized by the row lock: the first one moves the expiry into the future and
/// every later one finds the lease held. A row is never deleted, so the epoch never goes back.
/// </summary>
internal sealed class LeaseCommands(StoreDatabase database, string clusterId)
{
    private const string KeyCondition = "cluster_id = @cluster_id AND name = @name";

    public Task<Lease?> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, owner, duration);
        var now = database.NowTicksSql;
        return QueryLeaseAsync("acquiring a lease", name, owner, $"""
            INSERT INTO avi_lease AS l (cluster_id, name, owner, epoch, expires_at)
            VALUES (@cluster_id, @name, @owner, 1, {now} + @duration)
            ON CONFLICT (cluster_id, name)
            DO UPDATE SET owner = excluded.owner, epoch = l.epoch + 1, expires_at = excluded.expires_at
            WHERE l.expires_at <= {now} OR l.owner = excluded.owner
            RETURNING owner, epoch, expires_at, {now};
            """, command =>
        {
            StoreDatabase.Parameter(command, "@owner", owner);
            StoreDatabase.Parameter(command, "@duration", duration.Ticks);
        }, cancellationToken);
    }

    public Task<Lease?> RenewAsync(string name, string owner, long epoch, TimeSpan duration, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, owner, duration);
        var now = database.NowTicksSql;
        return QueryLeaseAsync("renewing a lease", name, owner, $"""
            UPDATE avi_lease SET expires_at = {now} + @duration
            WHERE {KeyCondition} AND owner = @owner AND epoch = @epoch AND expires_at > {now}
            RETURNING owner, epoch, expires_at, {now};
            """, command =>
        {
            StoreDatabase.Parameter(command, "@owner", owner);
            StoreDatabase.Parameter(command, "@epoch", epoch);
            StoreDatabase.Parameter(command, "@duration", duration.Ticks);
        }, cancellationToken);
    }

    public Task<bool> ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, owner, TimeSpan.FromSeconds(1));
        var now = database.NowTicksSql;
        return database.RunAsync("releasing a lease", async (connection, ct) =>
        {
            using var command = Keyed(connection, name, $"""
                UPDATE avi_lease SET expires_at = {now}
                WHERE {KeyCondition} AND owner = @owner AND epoch = @epoch AND expires_at > {now};
                """);
            StoreDatabase.Parameter(command, "@owner", owner);
            StoreDatabase.Parameter(command, "@epoch", epoch);
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    public Task<Lease?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return QueryLeaseAsync("reading a lease", name, owner: null,
            $"SELECT owner, epoch, expires_at, {database.NowTicksSql} FROM avi_lease WHERE {KeyCondition};", _ => { }, cancellationToken);
    }

    private Task<Lease?> QueryLeaseAsync(string operation, string name, string? owner, string sql, Action<DbCommand> parameters, CancellationToken cancellationToken) =>
        database.RunAsync(operation, async (connection, ct) =>
        {
            using var command = Keyed(connection, name, sql);
            parameters(command);
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    return null;
                }

                return new Lease(
                    name,
                    owner ?? reader.GetString(0),
                    reader.GetInt64(1),
                    new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
                    new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero));
            }
        }, cancellationToken);

    private DbCommand Keyed(DbConnection connection, string name, string sql)
    {
        var command = StoreDatabase.Command(connection, sql);
        StoreDatabase.Parameter(command, "@cluster_id", clusterId);
        StoreDatabase.Parameter(command, "@name", name);
        return command;
    }
}
