using System.Data.Common;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// The membership table over SQL, shared by the SQLite and PostgreSQL stores. One version row per cluster and
/// one row per silo incarnation, as Orleans' ADO.NET clustering keeps them. A versioned write is one
/// transaction that first advances the version row where it still holds the version that was read (which
/// locks it, so competing writers queue behind it and then find the version changed), then writes the silo
/// row; if either matches nothing the transaction is rolled back, so row and version change together or not at all.
/// </summary>
internal sealed class MembershipCommands(StoreDatabase database, string clusterId)
{
    private const string KeyCondition = "m.cluster_id = @cluster_id AND m.address = @address AND m.port = @port AND m.generation = @generation";
    private const string RowKeyCondition = "cluster_id = @cluster_id AND address = @address AND port = @port AND generation = @generation";

    public Task InitializeAsync(bool tryInitTableVersion, CancellationToken cancellationToken) =>
        database.RunAsync("initializing the membership table", async (connection, ct) =>
        {
            if (tryInitTableVersion)
            {
                using var command = StoreDatabase.Command(connection,
                    "INSERT INTO avi_membership_version (cluster_id, version) VALUES (@cluster_id, 0) ON CONFLICT (cluster_id) DO NOTHING;");
                StoreDatabase.Parameter(command, "@cluster_id", clusterId);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);

    // One statement, so one snapshot: the rows and the version belong together. The LEFT JOIN gives the
    // version even when the cluster has no rows.
    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) =>
        database.RunAsync("reading the membership table", (connection, ct) =>
        {
            var command = StoreDatabase.Command(connection, $"""
                SELECT v.version, {MembershipRowCodec.Columns}
                FROM avi_membership_version v LEFT JOIN avi_membership m ON m.cluster_id = v.cluster_id
                WHERE v.cluster_id = @cluster_id
                ORDER BY m.address, m.port, m.generation;
                """);
            StoreDatabase.Parameter(command, "@cluster_id", clusterId);
            return ReadSnapshotAsync(command, ct);
        }, cancellationToken);

    public Task<MembershipTableData> ReadRowAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo.Endpoint, nameof(silo));
        return database.RunAsync("reading a membership row", (connection, ct) =>
        {
            var command = StoreDatabase.Command(connection, $"""
                SELECT v.version, {MembershipRowCodec.Columns}
                FROM avi_membership_version v LEFT JOIN avi_membership m ON {KeyCondition}
                WHERE v.cluster_id = @cluster_id;
                """);
            StoreDatabase.Parameter(command, "@cluster_id", clusterId);
            MembershipRowCodec.AddKeyParameters(command, silo);
            return ReadSnapshotAsync(command, ct);
        }, cancellationToken);
    }

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        MembershipRowCodec.Validate(entry);
        return VersionedWriteAsync("inserting a membership row", version, $"""
            INSERT INTO avi_membership (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port,
                suspect_times, start_time, i_am_alive_time)
            VALUES (@cluster_id, @address, @port, @generation, @silo_name, @host_name, @status, @proxy_port,
                @suspect_times, @start_time, @i_am_alive_time)
            ON CONFLICT (cluster_id, address, port, generation) DO NOTHING;
            """, entry, cancellationToken);
    }

    // The row tag is not compared: this store versions only the table (its rows carry an empty tag), so the
    // table version is the whole condition, as in Orleans' ADO.NET clustering.
    public Task<bool> UpdateRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        MembershipRowCodec.Validate(entry);
        return VersionedWriteAsync("updating a membership row", version, $"""
            UPDATE avi_membership
            SET silo_name = @silo_name, host_name = @host_name, status = @status, proxy_port = @proxy_port,
                suspect_times = @suspect_times, start_time = @start_time, i_am_alive_time = @i_am_alive_time
            WHERE {RowKeyCondition};
            """, entry, cancellationToken);
    }

    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        MembershipRowCodec.Validate(entry);
        return database.RunAsync("writing I-am-alive", async (connection, ct) =>
        {
            using var command = StoreDatabase.Command(connection, $"UPDATE avi_membership SET i_am_alive_time = @i_am_alive_time WHERE {RowKeyCondition};");
            StoreDatabase.Parameter(command, "@cluster_id", clusterId);
            MembershipRowCodec.AddKeyParameters(command, entry.Silo);
            StoreDatabase.Parameter(command, "@i_am_alive_time", entry.IAmAliveTime.UtcTicks);
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken) =>
        database.RunAsync("deleting defunct membership rows", async (connection, ct) =>
        {
            using var command = StoreDatabase.Command(connection,
                "DELETE FROM avi_membership WHERE cluster_id = @cluster_id AND status <> @active AND i_am_alive_time < @before;");
            StoreDatabase.Parameter(command, "@cluster_id", clusterId);
            StoreDatabase.Parameter(command, "@active", (int)SiloStatus.Active);
            StoreDatabase.Parameter(command, "@before", beforeDate.UtcTicks);
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task DeleteMembershipTableEntriesAsync(CancellationToken cancellationToken) =>
        database.RunAsync("deleting the membership table", async (connection, ct) =>
        {
            var transaction = await database.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                foreach (var sql in (string[])["DELETE FROM avi_membership WHERE cluster_id = @cluster_id;", "DELETE FROM avi_membership_version WHERE cluster_id = @cluster_id;"])
                {
                    using var command = StoreDatabase.Command(connection, sql, transaction);
                    StoreDatabase.Parameter(command, "@cluster_id", clusterId);
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return true;
            }
        }, cancellationToken);

    private Task<bool> VersionedWriteAsync(string operation, TableVersion version, string rowSql, MembershipEntry entry, CancellationToken cancellationToken)
    {
        if (MembershipRowCodec.ParseVersionTag(version.VersionEtag) is not { } expected)
        {
            // A tag this store never handed out cannot be the current one.
            return Task.FromResult(false);
        }

        return database.RunAsync(operation, async (connection, ct) =>
        {
            var transaction = await database.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using (var bump = StoreDatabase.Command(connection,
                    "UPDATE avi_membership_version SET version = version + 1 WHERE cluster_id = @cluster_id AND version = @version;", transaction))
                {
                    StoreDatabase.Parameter(bump, "@cluster_id", clusterId);
                    StoreDatabase.Parameter(bump, "@version", expected);
                    if (await bump.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                    {
                        await transaction.RollbackAsync(ct).ConfigureAwait(false);
                        return false;
                    }
                }

                using (var row = StoreDatabase.Command(connection, rowSql, transaction))
                {
                    StoreDatabase.Parameter(row, "@cluster_id", clusterId);
                    MembershipRowCodec.AddEntryParameters(row, entry);
                    if (await row.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                    {
                        await transaction.RollbackAsync(ct).ConfigureAwait(false);
                        return false;
                    }
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return true;
            }
        }, cancellationToken);
    }

    private static async Task<MembershipTableData> ReadSnapshotAsync(DbCommand command, CancellationToken cancellationToken)
    {
        using (command)
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                long version = 0;
                var rows = new List<MembershipRow>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    version = reader.GetInt64(0);
                    if (!await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(new MembershipRow(MembershipRowCodec.ReadEntry(reader, 1), string.Empty));
                    }
                }

                return new MembershipTableData(rows, MembershipRowCodec.ToTableVersion(version));
            }
        }
    }
}
