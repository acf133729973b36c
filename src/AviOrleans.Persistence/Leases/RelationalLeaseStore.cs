using System.Data.Common;
using AviOrleans.Persistence.Internal;

namespace AviOrleans.Persistence.Leases;

/// <summary>
/// Leases over SQL, shared by the SQLite and PostgreSQL stores: one row per (cluster, lease name) holding the owner,
/// the fencing epoch, and the expiry and last renewal in the store's clock (UTC ticks). Each operation is one
/// statement that reads the store's clock itself, so no decision ever depends on a host's clock, and concurrent
/// writers are serialized by the row lock: the first acquirer moves the expiry into the future and every later one
/// finds the lease held; a revocation and a renewal cannot both succeed. A row is never deleted, so the epoch
/// never goes back.
/// </summary>
public abstract class RelationalLeaseStore : ILeaseStore, IAsyncDisposable
{
    private const string KeyCondition = "cluster_id = @cluster_id AND name = @name";
    private const string Returned = "owner, epoch, expires_at, renewed_at, revoked_by";

    private readonly StoreDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly bool _migrate;
    private readonly string _clusterId;

    private protected RelationalLeaseStore(StoreDatabase database, bool ownsDatabase, bool migrate, string clusterId)
    {
        var errors = new List<string>();
        OptionChecks.CheckId(errors, nameof(clusterId), clusterId);
        if (errors.Count > 0)
        {
            if (ownsDatabase)
            {
                database.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw new ArgumentException(string.Join(" ", errors), nameof(clusterId));
        }

        _database = database;
        _ownsDatabase = ownsDatabase;
        _migrate = migrate;
        _clusterId = clusterId;
    }

    /// <summary>Where the leases are, for messages.</summary>
    public string Description => _database.Description;

    /// <inheritdoc/>
    public Task<Lease?> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, owner, duration);
        var now = _database.NowTicksSql;
        return QueryOneAsync($"acquiring lease '{name}'", name, $"""
            INSERT INTO avi_fencing_lease AS l (cluster_id, name, owner, epoch, expires_at, renewed_at, revoked_by)
            VALUES (@cluster_id, @name, @owner, 1, {now} + @duration, {now}, NULL)
            ON CONFLICT (cluster_id, name) DO UPDATE
            SET owner = excluded.owner, epoch = l.epoch + 1, expires_at = excluded.expires_at,
                renewed_at = excluded.renewed_at, revoked_by = NULL
            WHERE l.expires_at <= {now} OR l.owner = excluded.owner
            RETURNING {Returned}, {now};
            """, command =>
        {
            StoreDatabase.Parameter(command, "@owner", owner);
            StoreDatabase.Parameter(command, "@duration", duration.Ticks);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Lease?> RenewAsync(string name, string owner, long epoch, TimeSpan duration, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, owner, duration);
        var now = _database.NowTicksSql;
        return QueryOneAsync($"renewing lease '{name}'", name, $"""
            UPDATE avi_fencing_lease SET expires_at = {now} + @duration, renewed_at = {now}
            WHERE {KeyCondition} AND owner = @owner AND epoch = @epoch AND expires_at > {now}
            RETURNING {Returned}, {now};
            """, command =>
        {
            StoreDatabase.Parameter(command, "@owner", owner);
            StoreDatabase.Parameter(command, "@epoch", epoch);
            StoreDatabase.Parameter(command, "@duration", duration.Ticks);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellationToken)
    {
        LeaseArguments.ValidateName(name);
        LeaseArguments.ValidateName(owner, nameof(owner));
        var now = _database.NowTicksSql;
        return await QueryOneAsync($"releasing lease '{name}'", name, $"""
            UPDATE avi_fencing_lease SET expires_at = {now}
            WHERE {KeyCondition} AND owner = @owner AND epoch = @epoch AND expires_at > {now}
            RETURNING {Returned}, {now};
            """, command =>
        {
            StoreDatabase.Parameter(command, "@owner", owner);
            StoreDatabase.Parameter(command, "@epoch", epoch);
        }, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public Task<Lease?> RevokeAsync(string name, long epoch, string revokedBy, TimeSpan holdFor, CancellationToken cancellationToken)
    {
        LeaseArguments.Validate(name, revokedBy, holdFor);
        var now = _database.NowTicksSql;
        return QueryOneAsync($"revoking lease '{name}'", name, $"""
            UPDATE avi_fencing_lease
            SET owner = @revoked_by, epoch = epoch + 1, expires_at = {now} + @duration, renewed_at = {now}, revoked_by = @revoked_by
            WHERE {KeyCondition} AND epoch = @epoch
            RETURNING {Returned}, {now};
            """, command =>
        {
            StoreDatabase.Parameter(command, "@revoked_by", revokedBy);
            StoreDatabase.Parameter(command, "@epoch", epoch);
            StoreDatabase.Parameter(command, "@duration", holdFor.Ticks);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Lease?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        LeaseArguments.ValidateName(name);
        return QueryOneAsync($"reading lease '{name}'", name,
            $"SELECT {Returned}, {_database.NowTicksSql} FROM avi_fencing_lease WHERE {KeyCondition};", _ => { }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Lease>> ReadAllAsync(CancellationToken cancellationToken) =>
        QueryAsync("reading all leases", null, $"""
            SELECT {Returned}, {_database.NowTicksSql}, name FROM avi_fencing_lease
            WHERE cluster_id = @cluster_id ORDER BY name;
            """, _ => { }, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDatabase)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    private async Task<Lease?> QueryOneAsync(string operation, string name, string sql, Action<DbCommand> parameters, CancellationToken cancellationToken) =>
        await QueryAsync(operation, name, sql, parameters, cancellationToken).ConfigureAwait(false) is [var first, ..] ? first : null;

    private async Task<IReadOnlyList<Lease>> QueryAsync(string operation, string? name, string sql, Action<DbCommand> parameters, CancellationToken cancellationToken)
    {
        // Once per store (a no-op afterwards): the file or tables must exist before the first connection opens.
        await _database.PrepareAsync(_migrate, cancellationToken).ConfigureAwait(false);
        return await _database.RunAsync<IReadOnlyList<Lease>>(operation, async (connection, ct) =>
        {
            using var command = StoreDatabase.Command(connection, sql);
            StoreDatabase.Parameter(command, "@cluster_id", _clusterId);
            if (name is not null)
            {
                StoreDatabase.Parameter(command, "@name", name);
            }

            parameters(command);
            var leases = new List<Lease>();
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    leases.Add(new Lease(
                        name ?? reader.GetString(6),
                        reader.GetString(0),
                        reader.GetInt64(1),
                        Ticks(reader.GetInt64(2)),
                        Ticks(reader.GetInt64(3)),
                        Ticks(reader.GetInt64(5)),
                        reader.IsDBNull(4) ? null : reader.GetString(4)));
                }
            }

            return leases;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static DateTimeOffset Ticks(long ticks) => new(ticks, TimeSpan.Zero);
}
