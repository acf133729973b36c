using System.Text.Json;
using System.Text.Json.Serialization;

namespace AviOrleans.Persistence.Leases;

/// <summary>
/// Where a silo's lease store is, in a form another process of the same host can open it from: the VIP guard gets it
/// on a pipe (never on a command line, where a password would show) and revokes its dead silo's lease with it once
/// the silo's addresses are gone, so survivors need not wait out the fencing window.
/// </summary>
/// <param name="Kind">Which database.</param>
/// <param name="ClusterId">The cluster whose leases these are.</param>
/// <param name="Database">SQLite: the database file's full path. PostgreSQL: the connection string.</param>
/// <param name="Schema">PostgreSQL: the schema; SQLite: unused.</param>
public sealed record LeaseStoreLocation(StoreKind Kind, string ClusterId, string Database, string Schema)
{
    /// <summary>The lease store of <paramref name="options"/> for <paramref name="clusterId"/>.</summary>
    public static LeaseStoreLocation Of(StoreOptions options, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind == StoreKind.PostgreSql
            ? new(StoreKind.PostgreSql, clusterId, options.PostgreSql.ConnectionString, options.PostgreSql.Schema)
            : new(StoreKind.Sqlite, clusterId, options.Sqlite.DatabasePath, string.Empty);
    }

    /// <summary>Reads the one-line JSON form <see cref="ToJson"/> writes; throws <see cref="FormatException"/> for anything else.</summary>
    public static LeaseStoreLocation Parse(string json)
    {
        try
        {
            var location = JsonSerializer.Deserialize(json, LeaseStoreLocationJson.Default.LeaseStoreLocation);
            return location is { Kind: StoreKind.Sqlite or StoreKind.PostgreSql, ClusterId.Length: > 0, Database.Length: > 0, Schema: not null }
                ? location
                : throw new FormatException("A lease store location needs a known kind, a cluster id, a database and a schema (empty for SQLite).");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Not a lease store location: {ex.Message}", ex);
        }
    }

    /// <summary>One line of JSON (it may hold a password: keep it off command lines and logs).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, LeaseStoreLocationJson.Default.LeaseStoreLocation);

    /// <summary>
    /// Opens the store; the schema is checked, never changed (the silo migrated it). Throws
    /// <see cref="ArgumentException"/> when the location is invalid.
    /// </summary>
    public RelationalLeaseStore Open() => Kind switch
    {
        StoreKind.PostgreSql => new PostgreSqlLeaseStore(new PostgreSqlStoreOptions { ConnectionString = Database, Schema = Schema, MigrateOnStart = false }, ClusterId),
        StoreKind.Sqlite => new SqliteLeaseStore(
            new SqliteStoreOptions { DataDirectory = Path.GetDirectoryName(Database) ?? ".", FileName = Path.GetFileName(Database), MigrateOnStart = false },
            ClusterId),
        _ => throw new ArgumentException($"Unknown store kind {Kind}.", nameof(Kind)),
    };

    /// <summary>Names the store without its connection string (which may hold a password).</summary>
    public override string ToString() => Kind == StoreKind.PostgreSql
        ? $"PostgreSQL (schema {Schema}), cluster {ClusterId}"
        : $"SQLite {Database}, cluster {ClusterId}";
}

[JsonSerializable(typeof(LeaseStoreLocation))]
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
internal sealed partial class LeaseStoreLocationJson : JsonSerializerContext;
