namespace AviOrleans.Runtime.AdoNet.Internal;

/// <summary>
/// The PostgreSQL schema, step by step (tables land in the configured schema through the search path).
/// Silo times are UTC ticks (bigint) so that they round-trip exactly, as in the SQLite store; versions are
/// plain integers; a grain state row is never deleted (a clear nulls the payload and keeps advancing the
/// version), so an ETag is never handed out twice.
/// </summary>
internal static class PostgreSqlMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "membership and grain state", """
            CREATE TABLE avi_membership_version (
                cluster_id varchar(150) NOT NULL PRIMARY KEY,
                version bigint NOT NULL
            );
            CREATE TABLE avi_membership (
                cluster_id varchar(150) NOT NULL REFERENCES avi_membership_version (cluster_id),
                address varchar(64) NOT NULL,
                port integer NOT NULL,
                generation integer NOT NULL,
                silo_name text NOT NULL,
                host_name text NOT NULL,
                status integer NOT NULL,
                proxy_port integer NOT NULL,
                suspect_times text NOT NULL,
                start_time bigint NOT NULL,
                i_am_alive_time bigint NOT NULL,
                PRIMARY KEY (cluster_id, address, port, generation)
            );
            CREATE TABLE avi_grain_state (
                service_id varchar(150) NOT NULL,
                grain_type text NOT NULL,
                grain_key text NOT NULL,
                payload bytea NULL,
                version bigint NOT NULL,
                modified_at timestamptz NOT NULL,
                PRIMARY KEY (service_id, grain_type, grain_key)
            );
            """),
        new(2, "leases judged by the store's clock", """
            CREATE TABLE avi_lease (
                cluster_id varchar(150) NOT NULL,
                name text NOT NULL,
                owner text NOT NULL,
                epoch bigint NOT NULL,
                expires_at bigint NOT NULL,
                PRIMARY KEY (cluster_id, name)
            );
            """),
    ];
}
