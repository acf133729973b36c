using System.Data.Common;
using System.Globalization;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// Grain state over SQL, shared by the SQLite and PostgreSQL stores. One row per (service, grain type, grain
/// key); the ETag is the row's version number as text. Each write is a single conditional statement, so it
/// happens whole or not at all and concurrent writers are serialized by the row lock: the first changes the
/// version and every other one then finds its condition false.
/// A clear keeps the row as a tombstone (payload NULL) and advances its version, so a version number is never
/// handed out twice for the same grain: a stale activation's ETag can never match again.
/// </summary>
internal sealed class GrainStateCommands(StoreDatabase database, string serviceId)
{
    private const string KeyCondition = "service_id = @service_id AND grain_type = @grain_type AND grain_key = @grain_key";

    public Task<GrainStateRecord?> ReadAsync(string grainType, string grainKey, CancellationToken cancellationToken)
    {
        ValidateKey(grainType, grainKey);
        return database.RunAsync("reading grain state", async (connection, ct) =>
        {
            using var command = KeyedCommand(connection, $"SELECT payload, version FROM avi_grain_state WHERE {KeyCondition};", grainType, grainKey);
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(ct).ConfigureAwait(false) || await reader.IsDBNullAsync(0, ct).ConfigureAwait(false))
                {
                    return null;
                }

                return new GrainStateRecord(reader.GetFieldValue<byte[]>(0), ToETag(reader.GetInt64(1)));
            }
        }, cancellationToken);
    }

    public Task<string> WriteAsync(string grainType, string grainKey, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken)
    {
        ValidateKey(grainType, grainKey);
        long? expected = null;
        if (expectedETag is not null && (expected = ParseETag(expectedETag)) is null)
        {
            throw new InconsistentStateException(grainType, grainKey, expectedETag, null);
        }

        var bytes = payload.ToArray();
        return database.RunAsync("writing grain state", async (connection, ct) =>
        {
            // Without an ETag the grain must have no state: no row, or a tombstone whose version goes on counting.
            // With one, the live row must still hold that version.
            var sql = expected is null
                ? $"""
                    INSERT INTO avi_grain_state AS s (service_id, grain_type, grain_key, payload, version, modified_at)
                    VALUES (@service_id, @grain_type, @grain_key, @payload, 1, {database.NowSql})
                    ON CONFLICT (service_id, grain_type, grain_key)
                    DO UPDATE SET payload = excluded.payload, version = s.version + 1, modified_at = excluded.modified_at
                    WHERE s.payload IS NULL
                    RETURNING version;
                    """
                : $"""
                    UPDATE avi_grain_state SET payload = @payload, version = version + 1, modified_at = {database.NowSql}
                    WHERE {KeyCondition} AND version = @version AND payload IS NOT NULL
                    RETURNING version;
                    """;
            object? version;
            using (var command = KeyedCommand(connection, sql, grainType, grainKey))
            {
                StoreDatabase.Parameter(command, "@payload", bytes);
                if (expected is { } v)
                {
                    StoreDatabase.Parameter(command, "@version", v);
                }

                version = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            }

            if (version is null or DBNull)
            {
                throw await ConflictAsync(connection, grainType, grainKey, expectedETag, ct).ConfigureAwait(false);
            }

            return ToETag(Convert.ToInt64(version, CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    public Task ClearAsync(string grainType, string grainKey, string? expectedETag, CancellationToken cancellationToken)
    {
        ValidateKey(grainType, grainKey);
        long? expected = null;
        if (expectedETag is not null && (expected = ParseETag(expectedETag)) is null)
        {
            throw new InconsistentStateException(grainType, grainKey, expectedETag, null);
        }

        return database.RunAsync("clearing grain state", async (connection, ct) =>
        {
            if (expected is not { } v)
            {
                // Clearing what was never written (or is already cleared) changes nothing; it only has to
                // check that there is indeed no state.
                var stored = await ReadStoredETagAsync(connection, grainType, grainKey, ct).ConfigureAwait(false);
                return stored is null ? true : throw new InconsistentStateException(grainType, grainKey, null, stored);
            }

            int changed;
            using (var command = KeyedCommand(connection, $"""
                UPDATE avi_grain_state SET payload = NULL, version = version + 1, modified_at = {database.NowSql}
                WHERE {KeyCondition} AND version = @version AND payload IS NOT NULL;
                """, grainType, grainKey))
            {
                StoreDatabase.Parameter(command, "@version", v);
                changed = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return changed == 1 ? true : throw await ConflictAsync(connection, grainType, grainKey, expectedETag, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    private async Task<InconsistentStateException> ConflictAsync(DbConnection connection, string grainType, string grainKey, string? expectedETag, CancellationToken cancellationToken)
    {
        // Read after the failed write only to say what the store holds; it does not decide anything.
        var stored = await ReadStoredETagAsync(connection, grainType, grainKey, cancellationToken).ConfigureAwait(false);
        return new InconsistentStateException(grainType, grainKey, expectedETag, stored);
    }

    private async Task<string?> ReadStoredETagAsync(DbConnection connection, string grainType, string grainKey, CancellationToken cancellationToken)
    {
        using var command = KeyedCommand(connection, $"SELECT version FROM avi_grain_state WHERE {KeyCondition} AND payload IS NOT NULL;", grainType, grainKey);
        var version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return version is null or DBNull ? null : ToETag(Convert.ToInt64(version, CultureInfo.InvariantCulture));
    }

    private DbCommand KeyedCommand(DbConnection connection, string sql, string grainType, string grainKey)
    {
        var command = StoreDatabase.Command(connection, sql);
        StoreDatabase.Parameter(command, "@service_id", serviceId);
        StoreDatabase.Parameter(command, "@grain_type", grainType);
        StoreDatabase.Parameter(command, "@grain_key", grainKey);
        return command;
    }

    private static void ValidateKey(string grainType, string grainKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(grainType);
        ArgumentNullException.ThrowIfNull(grainKey);
    }

    private static long? ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0 ? version : null;

    private static string ToETag(long version) => version.ToString(CultureInfo.InvariantCulture);
}
