namespace AviOrleans.Persistence.Internal;

/// <summary>
/// The SQLite schema, step by step: the same tables and query contract as <see cref="PostgreSqlSchema"/> (see its
/// remarks), written for SQLite.
/// </summary>
/// <remarks>
/// <para>
/// Microsoft.Data.Sqlite (which Orleans loads for the invariant <c>System.Data.SQLite</c>) binds a
/// <see cref="DateTime"/> as text, <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>: every tick round-trips, and two such texts
/// compare as their times do, so the time columns are text.
/// </para>
/// <para>
/// Atomicity without functions: every conditional membership write is one statement, and SQLite takes the write
/// lock before a writing statement reads anything (in WAL mode a stale snapshot cannot write; it gets BUSY and the
/// driver retries with a fresh one). The version advance is done by triggers inside that same statement: a row
/// inserted, or a status or suspicion list written, advances the version row; an I-am-alive write, which sets
/// only <c>i_am_alive_time</c>, does not fire them. <c>changes()</c> counts only the statement's own rows, not the
/// trigger's, so it tells whether the conditional write happened.
/// </para>
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The store's clock as text in the driver's own date format (millisecond resolution).</summary>
    private const string Now = "strftime('%Y-%m-%d %H:%M:%f', 'now')";

    private const string MembershipColumns = """
        v.version AS Version, m.address AS Address, m.port AS Port, m.generation AS Generation,
        m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
        m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
        """;

    private const string VersionHolds = """
        EXISTS (SELECT 1 FROM avi_orleans_membership_version WHERE deployment_id = @DeploymentId AND version = @Version)
        """;

    private const string GrainKey = """
        service_id = @ServiceId AND grain_type = @GrainTypeString AND grain_id_n0 = @GrainIdN0
        AND grain_id_n1 = @GrainIdN1 AND grain_id_extension = COALESCE(@GrainIdExtensionString, '')
        """;

    private const string ReminderColumns = """
        grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period AS Period, version AS Version
        """;

    public static IReadOnlyList<SchemaStep> Steps { get; } =
    [
        new(1, "Orleans clustering, grain storage and reminders (10.4.2 ADO.NET providers); fencing leases", $"""
            CREATE TABLE OrleansQuery (
                QueryKey TEXT NOT NULL PRIMARY KEY,
                QueryText TEXT NOT NULL
            );

            CREATE TABLE avi_orleans_membership_version (
                deployment_id TEXT NOT NULL PRIMARY KEY,
                version INTEGER NOT NULL DEFAULT 0,
                modified_at TEXT NOT NULL
            );

            CREATE TABLE avi_orleans_membership (
                deployment_id TEXT NOT NULL,
                address TEXT NOT NULL,
                port INTEGER NOT NULL,
                generation INTEGER NOT NULL,
                silo_name TEXT NOT NULL,
                host_name TEXT NOT NULL,
                status INTEGER NOT NULL,
                proxy_port INTEGER NOT NULL,
                suspect_times TEXT NULL,
                start_time TEXT NOT NULL,
                i_am_alive_time TEXT NOT NULL,
                PRIMARY KEY (deployment_id, address, port, generation)
            );

            CREATE TRIGGER avi_orleans_membership_inserted AFTER INSERT ON avi_orleans_membership
            BEGIN
                UPDATE avi_orleans_membership_version SET version = version + 1, modified_at = {Now}
                WHERE deployment_id = NEW.deployment_id;
            END;

            CREATE TRIGGER avi_orleans_membership_updated AFTER UPDATE OF status, suspect_times ON avi_orleans_membership
            BEGIN
                UPDATE avi_orleans_membership_version SET version = version + 1, modified_at = {Now}
                WHERE deployment_id = NEW.deployment_id;
            END;

            CREATE TABLE avi_orleans_grain_state (
                service_id TEXT NOT NULL,
                grain_type TEXT NOT NULL,
                grain_id_n0 INTEGER NOT NULL,
                grain_id_n1 INTEGER NOT NULL,
                grain_id_extension TEXT NOT NULL,
                payload BLOB NULL,
                version INTEGER NOT NULL,
                modified_at TEXT NOT NULL,
                PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
            );

            CREATE TABLE avi_orleans_reminder (
                service_id TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                reminder_name TEXT NOT NULL,
                start_time TEXT NOT NULL,
                period INTEGER NOT NULL,
                grain_hash INTEGER NOT NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (service_id, grain_id, reminder_name)
            );

            CREATE INDEX avi_orleans_reminder_hash ON avi_orleans_reminder (service_id, grain_hash);

            CREATE TABLE avi_fencing_lease (
                cluster_id TEXT NOT NULL,
                name TEXT NOT NULL,
                owner TEXT NOT NULL,
                epoch INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                renewed_at INTEGER NOT NULL,
                revoked_by TEXT NULL,
                PRIMARY KEY (cluster_id, name)
            );
            """,
            new Dictionary<string, string>
            {
                // --- clustering (Orleans.Clustering.AdoNet) ---
                ["InsertMembershipVersionKey"] = $"""
                    INSERT INTO avi_orleans_membership_version (deployment_id, version, modified_at)
                    VALUES (@DeploymentId, 0, {Now})
                    ON CONFLICT DO NOTHING;
                    SELECT changes() > 0;
                    """,
                ["MembershipReadAllKey"] = $"""
                    SELECT {MembershipColumns}
                    FROM avi_orleans_membership_version v
                    LEFT JOIN avi_orleans_membership m ON m.deployment_id = v.deployment_id
                    WHERE v.deployment_id = @DeploymentId;
                    """,
                ["MembershipReadRowKey"] = $"""
                    SELECT {MembershipColumns}
                    FROM avi_orleans_membership_version v
                    LEFT JOIN avi_orleans_membership m ON m.deployment_id = v.deployment_id
                        AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                    WHERE v.deployment_id = @DeploymentId;
                    """,
                ["InsertMembershipKey"] = $"""
                    INSERT INTO avi_orleans_membership (deployment_id, address, port, generation, silo_name, host_name,
                        status, proxy_port, suspect_times, start_time, i_am_alive_time)
                    SELECT @DeploymentId, @Address, @Port, @Generation, COALESCE(@SiloName, ''), COALESCE(@HostName, ''),
                        @Status, COALESCE(@ProxyPort, 0), NULL, @StartTime, @IAmAliveTime
                    WHERE {VersionHolds}
                    ON CONFLICT DO NOTHING;
                    SELECT changes() > 0;
                    """,
                ["UpdateMembershipKey"] = $"""
                    UPDATE avi_orleans_membership
                    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
                    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
                        AND {VersionHolds};
                    SELECT changes() > 0;
                    """,
                ["UpdateIAmAlivetimeKey"] = """
                    UPDATE avi_orleans_membership SET i_am_alive_time = @IAmAliveTime
                    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;
                    """,
                ["GatewaysQueryKey"] = """
                    SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
                    FROM avi_orleans_membership
                    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
                    """,
                ["DeleteMembershipTableEntriesKey"] = """
                    DELETE FROM avi_orleans_membership WHERE deployment_id = @DeploymentId;
                    DELETE FROM avi_orleans_membership_version WHERE deployment_id = @DeploymentId;
                    """,
                ["CleanupDefunctSiloEntriesKey"] = """
                    DELETE FROM avi_orleans_membership
                    WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime;
                    """,

                // --- grain storage (Orleans.Persistence.AdoNet) ---
                ["ReadFromStorageKey"] = $"""
                    SELECT payload AS PayloadBinary, version AS Version FROM avi_orleans_grain_state WHERE {GrainKey};
                    """,

                // Two statements, of which the ETag lets at most one write: a first write inserts, a later one updates.
                ["WriteToStorageKey"] = $"""
                    INSERT INTO avi_orleans_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1,
                        grain_id_extension, payload, version, modified_at)
                    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
                        @PayloadBinary, 1, {Now}
                    WHERE @GrainStateVersion IS NULL
                    ON CONFLICT DO NOTHING
                    RETURNING version AS NewGrainStateVersion;
                    UPDATE avi_orleans_grain_state SET payload = @PayloadBinary, version = version + 1, modified_at = {Now}
                    WHERE @GrainStateVersion IS NOT NULL AND {GrainKey} AND version = @GrainStateVersion
                    RETURNING version AS NewGrainStateVersion;
                    """,
                ["ClearStorageKey"] = $"""
                    UPDATE avi_orleans_grain_state SET payload = NULL, version = version + 1, modified_at = {Now}
                    WHERE {GrainKey} AND version = @GrainStateVersion
                    RETURNING version AS Version;
                    """,
                ["DeleteStorageKey"] = $"""
                    DELETE FROM avi_orleans_grain_state WHERE {GrainKey} AND version = @GrainStateVersion
                    RETURNING version + 1 AS Version;
                    """,

                // --- reminders (Orleans.Reminders.AdoNet) ---
                ["ReadReminderRowsKey"] = $"""
                    SELECT {ReminderColumns} FROM avi_orleans_reminder WHERE service_id = @ServiceId AND grain_id = @GrainId;
                    """,
                ["ReadReminderRowKey"] = $"""
                    SELECT {ReminderColumns} FROM avi_orleans_reminder
                    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
                    """,
                ["ReadRangeRows1Key"] = $"""
                    SELECT {ReminderColumns} FROM avi_orleans_reminder
                    WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
                    """,
                ["ReadRangeRows2Key"] = $"""
                    SELECT {ReminderColumns} FROM avi_orleans_reminder
                    WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
                    """,
                ["UpsertReminderRowKey"] = """
                    INSERT INTO avi_orleans_reminder AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
                    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
                    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
                    SET start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash,
                        version = r.version + 1
                    RETURNING version AS Version;
                    """,
                ["DeleteReminderRowKey"] = """
                    DELETE FROM avi_orleans_reminder
                    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version;
                    SELECT changes() > 0;
                    """,
                ["DeleteReminderRowsKey"] = """
                    DELETE FROM avi_orleans_reminder WHERE service_id = @ServiceId;
                    """,
            }),
    ];

    /// <summary>The version the last step brings the database to.</summary>
    public static int LatestVersion => Steps[^1].Version;
}
