namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// The SQLite schema, step by step. Times are stored as UTC ticks (INTEGER) so that every value round-trips
/// exactly; versions are plain integers, and a grain state row is never deleted (a clear nulls the payload and
/// keeps advancing the version), so an ETag is never handed out twice.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "membership and grain state", """
            CREATE TABLE avi_membership_version (
                cluster_id TEXT NOT NULL PRIMARY KEY,
                version INTEGER NOT NULL
            );
            CREATE TABLE avi_membership (
                cluster_id TEXT NOT NULL,
                address TEXT NOT NULL,
                port INTEGER NOT NULL,
                generation INTEGER NOT NULL,
                silo_name TEXT NOT NULL,
                host_name TEXT NOT NULL,
                status INTEGER NOT NULL,
                proxy_port INTEGER NOT NULL,
                suspect_times TEXT NOT NULL,
                start_time INTEGER NOT NULL,
                i_am_alive_time INTEGER NOT NULL,
                PRIMARY KEY (cluster_id, address, port, generation)
            );
            CREATE TABLE avi_grain_state (
                service_id TEXT NOT NULL,
                grain_type TEXT NOT NULL,
                grain_key TEXT NOT NULL,
                payload BLOB NULL,
                version INTEGER NOT NULL,
                modified_at TEXT NOT NULL,
                PRIMARY KEY (service_id, grain_type, grain_key)
            );
            """),
        new(2, "leases judged by the store's clock", """
            CREATE TABLE avi_lease (
                cluster_id TEXT NOT NULL,
                name TEXT NOT NULL,
                owner TEXT NOT NULL,
                epoch INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                PRIMARY KEY (cluster_id, name)
            );
            """),
    ];
}
