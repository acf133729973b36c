namespace AviOrleans.Persistence.Internal;

/// <summary>
/// The PostgreSQL schema, step by step: the tables behind Orleans' ADO.NET clustering, grain storage and reminder
/// providers (10.4.2), the <c>OrleansQuery</c> rows those providers read, and the fencing lease table. Everything
/// lands in the configured schema through the search path.
/// </summary>
/// <remarks>
/// <para>
/// The query contract, read from the 10.4.2 providers: each query is looked up by its key in <c>OrleansQuery</c>,
/// run with named parameters (<c>@DeploymentId</c> is the cluster id, <c>@Version</c> the table version the
/// caller read, times are UTC <see cref="DateTime"/> that Npgsql sends as <c>timestamptz</c>), and its result
/// columns are read by name (quoted here so that PostgreSQL keeps their case).
/// </para>
/// <para>
/// Membership: every row's ETag is the table version, so a conditional write succeeds only if the version row
/// still holds the version the caller read; it then advances it by one. The two writes of a conditional insert
/// or update must be one atomic decision, so they run in a function that first locks the version row: a
/// concurrent writer with the same expected version waits on that lock and then finds the version moved.
/// I-am-alive writes touch only their row and never the version.
/// </para>
/// <para>
/// Grain state: keyed by service, grain type and the grain id as the provider splits it (two 64-bit halves and a
/// string part; a key without a string part is stored with <c>''</c>, which Orleans never produces as an
/// extension). The ETag is the row's version; a write presents it and the row advances only if it still holds it,
/// a first write inserts only if no row exists, so two activations can never both win. A clear keeps the row with
/// a null payload and a higher version, so an ETag is never handed out twice.
/// </para>
/// </remarks>
internal static class PostgreSqlSchema
{
    private const string MembershipColumns = """
        v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
        m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
        m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
        """;

    private const string GrainKey = """
        service_id = @ServiceId AND grain_type = @GrainTypeString AND grain_id_n0 = @GrainIdN0
        AND grain_id_n1 = @GrainIdN1 AND grain_id_extension = COALESCE(@GrainIdExtensionString, '')
        """;

    private const string ReminderColumns = """
        grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
        """;

    public static IReadOnlyList<SchemaStep> Steps { get; } =
    [
        new(1, "Orleans clustering, grain storage and reminders (10.4.2 ADO.NET providers); fencing leases", """
            CREATE TABLE OrleansQuery (
                QueryKey varchar(64) NOT NULL PRIMARY KEY,
                QueryText text NOT NULL
            );

            CREATE TABLE avi_orleans_membership_version (
                deployment_id varchar(150) NOT NULL PRIMARY KEY,
                version integer NOT NULL DEFAULT 0,
                modified_at timestamptz NOT NULL DEFAULT now()
            );

            CREATE TABLE avi_orleans_membership (
                deployment_id varchar(150) NOT NULL REFERENCES avi_orleans_membership_version (deployment_id) ON DELETE CASCADE,
                address varchar(45) NOT NULL,
                port integer NOT NULL,
                generation integer NOT NULL,
                silo_name text NOT NULL,
                host_name text NOT NULL,
                status integer NOT NULL,
                proxy_port integer NOT NULL,
                suspect_times text NULL,
                start_time timestamptz NOT NULL,
                i_am_alive_time timestamptz NOT NULL,
                PRIMARY KEY (deployment_id, address, port, generation)
            );

            -- Conditional insert: the row goes in, and the version advances, only if the version row still holds
            -- p_version and no row has this silo address. Locking the version row first serializes the writers.
            CREATE FUNCTION avi_orleans_insert_membership(
                p_deployment_id text, p_version integer, p_address text, p_port integer, p_generation integer,
                p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
                p_start_time timestamptz, p_i_am_alive_time timestamptz) RETURNS boolean
            LANGUAGE plpgsql AS $fn$
            BEGIN
                PERFORM 1 FROM avi_orleans_membership_version
                WHERE deployment_id = p_deployment_id AND version = p_version FOR UPDATE;
                IF NOT FOUND THEN
                    RETURN false;
                END IF;

                INSERT INTO avi_orleans_membership (deployment_id, address, port, generation, silo_name, host_name,
                    status, proxy_port, suspect_times, start_time, i_am_alive_time)
                VALUES (p_deployment_id, p_address, p_port, p_generation, COALESCE(p_silo_name, ''),
                    COALESCE(p_host_name, ''), p_status, COALESCE(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time)
                ON CONFLICT DO NOTHING;
                IF NOT FOUND THEN
                    RETURN false;
                END IF;

                UPDATE avi_orleans_membership_version SET version = version + 1, modified_at = now()
                WHERE deployment_id = p_deployment_id;
                RETURN true;
            END
            $fn$;

            -- Conditional update of a silo's status, suspicions and I-am-alive time, with the same rule.
            CREATE FUNCTION avi_orleans_update_membership(
                p_deployment_id text, p_version integer, p_address text, p_port integer, p_generation integer,
                p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz) RETURNS boolean
            LANGUAGE plpgsql AS $fn$
            BEGIN
                PERFORM 1 FROM avi_orleans_membership_version
                WHERE deployment_id = p_deployment_id AND version = p_version FOR UPDATE;
                IF NOT FOUND THEN
                    RETURN false;
                END IF;

                UPDATE avi_orleans_membership
                SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
                WHERE deployment_id = p_deployment_id AND address = p_address AND port = p_port AND generation = p_generation;
                IF NOT FOUND THEN
                    RETURN false;
                END IF;

                UPDATE avi_orleans_membership_version SET version = version + 1, modified_at = now()
                WHERE deployment_id = p_deployment_id;
                RETURN true;
            END
            $fn$;

            CREATE TABLE avi_orleans_grain_state (
                service_id varchar(150) NOT NULL,
                grain_type text NOT NULL,
                grain_id_n0 bigint NOT NULL,
                grain_id_n1 bigint NOT NULL,
                grain_id_extension text NOT NULL,
                payload bytea NULL,
                version integer NOT NULL,
                modified_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension)
            );

            CREATE TABLE avi_orleans_reminder (
                service_id varchar(150) NOT NULL,
                grain_id varchar(1024) NOT NULL,
                reminder_name varchar(150) NOT NULL,
                start_time timestamptz NOT NULL,
                period bigint NOT NULL,
                grain_hash integer NOT NULL,
                version integer NOT NULL,
                PRIMARY KEY (service_id, grain_id, reminder_name)
            );

            -- Each silo reads the reminders of its range of the hash ring.
            CREATE INDEX avi_orleans_reminder_hash ON avi_orleans_reminder (service_id, grain_hash);

            -- Leases for VIP fencing, judged by the store's clock: times are UTC ticks of the server's clock.
            CREATE TABLE avi_fencing_lease (
                cluster_id varchar(150) NOT NULL,
                name text NOT NULL,
                owner text NOT NULL,
                epoch bigint NOT NULL,
                expires_at bigint NOT NULL,
                renewed_at bigint NOT NULL,
                revoked_by text NULL,
                PRIMARY KEY (cluster_id, name)
            );
            """,
            new Dictionary<string, string>
            {
                // --- clustering (Orleans.Clustering.AdoNet) ---
                ["InsertMembershipVersionKey"] = """
                    WITH inserted AS (
                        INSERT INTO avi_orleans_membership_version (deployment_id) VALUES (@DeploymentId)
                        ON CONFLICT DO NOTHING RETURNING 1)
                    SELECT count(*) > 0 FROM inserted
                    """,
                ["MembershipReadAllKey"] = $"""
                    SELECT {MembershipColumns}
                    FROM avi_orleans_membership_version v
                    LEFT JOIN avi_orleans_membership m ON m.deployment_id = v.deployment_id
                    WHERE v.deployment_id = @DeploymentId
                    """,
                ["MembershipReadRowKey"] = $"""
                    SELECT {MembershipColumns}
                    FROM avi_orleans_membership_version v
                    LEFT JOIN avi_orleans_membership m ON m.deployment_id = v.deployment_id
                        AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                    WHERE v.deployment_id = @DeploymentId
                    """,
                ["InsertMembershipKey"] = """
                    SELECT avi_orleans_insert_membership(@DeploymentId, @Version, @Address, @Port, @Generation,
                        @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime)
                    """,
                ["UpdateMembershipKey"] = """
                    SELECT avi_orleans_update_membership(@DeploymentId, @Version, @Address, @Port, @Generation,
                        @Status, @SuspectTimes, @IAmAliveTime)
                    """,
                ["UpdateIAmAlivetimeKey"] = """
                    UPDATE avi_orleans_membership SET i_am_alive_time = @IAmAliveTime
                    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
                    """,
                ["GatewaysQueryKey"] = """
                    SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
                    FROM avi_orleans_membership
                    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
                    """,
                ["DeleteMembershipTableEntriesKey"] = """
                    DELETE FROM avi_orleans_membership_version WHERE deployment_id = @DeploymentId
                    """,

                // Only Dead rows (status 6) last heard from before the cut-off; Orleans' agent passes now minus
                // DefunctSiloExpiration. The optional per-row key is left out: one DELETE on the current values is
                // already atomic.
                ["CleanupDefunctSiloEntriesKey"] = """
                    DELETE FROM avi_orleans_membership
                    WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
                    """,

                // --- grain storage (Orleans.Persistence.AdoNet) ---
                ["ReadFromStorageKey"] = $"""
                    SELECT payload AS "PayloadBinary", version AS "Version"
                    FROM avi_orleans_grain_state WHERE {GrainKey}
                    """,
                ["WriteToStorageKey"] = $"""
                    WITH inserted AS (
                        INSERT INTO avi_orleans_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1,
                            grain_id_extension, payload, version)
                        SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1,
                            COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, 1
                        WHERE @GrainStateVersion IS NULL
                        ON CONFLICT DO NOTHING
                        RETURNING version),
                    updated AS (
                        UPDATE avi_orleans_grain_state
                        SET payload = @PayloadBinary, version = version + 1, modified_at = now()
                        WHERE @GrainStateVersion IS NOT NULL AND {GrainKey} AND version = @GrainStateVersion
                        RETURNING version)
                    SELECT version AS "NewGrainStateVersion" FROM inserted
                    UNION ALL
                    SELECT version FROM updated
                    """,
                ["ClearStorageKey"] = $"""
                    UPDATE avi_orleans_grain_state
                    SET payload = NULL, version = version + 1, modified_at = now()
                    WHERE {GrainKey} AND version = @GrainStateVersion
                    RETURNING version AS "Version"
                    """,

                // For DeleteStateOnClear: the row goes; the value returned only has to differ from the ETag.
                ["DeleteStorageKey"] = $"""
                    DELETE FROM avi_orleans_grain_state
                    WHERE {GrainKey} AND version = @GrainStateVersion
                    RETURNING version + 1 AS "Version"
                    """,

                // --- reminders (Orleans.Reminders.AdoNet) ---
                ["ReadReminderRowsKey"] = $"""
                    SELECT {ReminderColumns} FROM avi_orleans_reminder
                    WHERE service_id = @ServiceId AND grain_id = @GrainId
                    """,
                ["ReadReminderRowKey"] = $"""
                    SELECT {ReminderColumns} FROM avi_orleans_reminder
                    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
                    """,

                // The provider picks Rows1 when the range does not wrap in signed order and passes both ends as
                // signed integers, as the hash is stored.
                ["ReadRangeRows1Key"] = $"""
                    SELECT {ReminderColumns} FROM avi_orleans_reminder
                    WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
                    """,
                ["ReadRangeRows2Key"] = $"""
                    SELECT {ReminderColumns} FROM avi_orleans_reminder
                    WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
                    """,
                ["UpsertReminderRowKey"] = """
                    INSERT INTO avi_orleans_reminder AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
                    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
                    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
                    SET start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash,
                        version = r.version + 1
                    RETURNING version AS "Version"
                    """,
                ["DeleteReminderRowKey"] = """
                    WITH deleted AS (
                        DELETE FROM avi_orleans_reminder
                        WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
                            AND version = @Version
                        RETURNING 1)
                    SELECT count(*) > 0 FROM deleted
                    """,
                ["DeleteReminderRowsKey"] = """
                    DELETE FROM avi_orleans_reminder WHERE service_id = @ServiceId
                    """,
            }),
    ];

    /// <summary>The version the last step brings the database to.</summary>
    public static int LatestVersion => Steps[^1].Version;
}
