using System.Net;
using System.Net.Sockets;
using AviOrleans.Runtime.AdoNet.Internal;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Membership;
using AviOrleans.Runtime.Storage;
using Npgsql;
using static AviOrleans.Runtime.AdoNet.Tests.Support.Entries;

namespace AviOrleans.Runtime.AdoNet.Tests.PostgreSql;

/// <summary>
/// What only the PostgreSQL stores do: migrations in a fresh schema, a server that is not there, a server
/// session killed in the middle of a write, and a multi-host connection string.
/// </summary>
public sealed class PostgreSqlStoreTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var item in _owned)
        {
            await item.DisposeAsync();
        }
    }

    private T Own<T>(T item)
        where T : IAsyncDisposable
    {
        _owned.Add(item);
        return item;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<int> WaitForBlockedSessionAsync(string applicationName)
    {
        // Bounded: the write under test must reach the lock within 30 s even on a loaded machine.
        for (var i = 0; i < 300; i++)
        {
            var pid = await PostgreSqlTestServer.ScalarAsync(
                "SELECT pid FROM pg_stat_activity WHERE application_name = @name AND wait_event_type = 'Lock' LIMIT 1;",
                Ct, ("name", applicationName));
            if (pid is int found)
            {
                return found;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"No session of {applicationName} ever waited on the lock.");
    }

    [Fact]
    public async Task Migrations_ManyStoresStartingAtOnceInAFreshSchemaThenAgain_ApplyEachStepOnce()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            var starts = Enumerable.Range(0, 8).Select(i =>
            {
                var table = Own(new PostgreSqlMembershipTable(PostgreSqlTestServer.Options("c", schema)));
                var state = Own(new PostgreSqlGrainStateStore(PostgreSqlTestServer.Options("c", schema)));
                return Task.Run(async () =>
                {
                    await table.InitializeAsync(true, Ct);
                    await state.InitializeAsync(Ct);
                }, Ct);
            }).ToList();
            await Task.WhenAll(starts).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            await using (var again = new PostgreSqlGrainStateStore(PostgreSqlTestServer.Options("c", schema)))
            {
                await again.InitializeAsync(Ct);
            }

            Assert.Equal((long)PostgreSqlMigrations.All.Count, await PostgreSqlTestServer.ScalarAsync($"SELECT count(*) FROM {schema}.avi_schema_version;", Ct));
            Assert.Equal(PostgreSqlMigrations.All[^1].Version, await PostgreSqlTestServer.ScalarAsync($"SELECT max(version) FROM {schema}.avi_schema_version;", Ct));
            Assert.Equal(1L, await PostgreSqlTestServer.ScalarAsync($"SELECT count(*) FROM {schema}.avi_membership_version;", Ct));
        }
        finally
        {
            await PostgreSqlTestServer.ScalarAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE;", CancellationToken.None);
        }
    }

    [Fact]
    public async Task Migrations_RoleThatMayNotCreateSchemas_StartsOnAnExistingSchema()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        var role = "r_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            // The owner migrates; the application role may use the tables but not create schemas in the database.
            await using (var owner = new PostgreSqlGrainStateStore(PostgreSqlTestServer.Options("s", schema)))
            {
                await owner.InitializeAsync(Ct);
            }

            await PostgreSqlTestServer.ScalarAsync($"""
                CREATE ROLE {role} LOGIN;
                GRANT USAGE ON SCHEMA {schema} TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
                """, Ct);
            var options = PostgreSqlTestServer.Options("s", schema);
            options.ConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Username = role, Pooling = false }.ToString();
            await using var store = new PostgreSqlGrainStateStore(options);

            await store.InitializeAsync(Ct);
            var etag = await store.WriteAsync("G", "k", new byte[] { 1 }, null, Ct);

            Assert.Equal(etag, (await store.ReadAsync("G", "k", Ct))!.ETag);
            Assert.Equal(false, await PostgreSqlTestServer.ScalarAsync("SELECT has_database_privilege(@role, current_database(), 'CREATE');", Ct, ("role", role)));
        }
        finally
        {
            await PostgreSqlTestServer.ScalarAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE;", CancellationToken.None);
            await PostgreSqlTestServer.ScalarAsync($"DROP ROLE IF EXISTS {role};", CancellationToken.None);
        }
    }

    [Fact]
    public async Task ServerNotListening_EveryCallThrowsStoreUnavailableWithTheDriverError()
    {
        var options = PostgreSqlTestServer.Options("c");
        options.ConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Host = "127.0.0.1", Port = ClosedPort() }.ToString();
        var table = Own(new PostgreSqlMembershipTable(options));
        var state = Own(new PostgreSqlGrainStateStore(options));

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => table.InitializeAsync(true, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.ReadAllAsync(Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => table.InsertRowAsync(Entry(Silo(1)), new TableVersion(1, "0"), Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => state.WriteAsync("G", "k", new byte[] { 1 }, null, Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => state.ReadAsync("G", "k", Ct));

        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
    }

    // Locking the version row stops the write before its first statement; locking the silo row stops it after
    // it has advanced the version and before it writes the row: the kill must then undo the version too.
    [Theory]
    [InlineData("SELECT version FROM avi_membership_version WHERE cluster_id = @c FOR UPDATE;")]
    [InlineData("SELECT status FROM avi_membership WHERE cluster_id = @c FOR UPDATE;")]
    public async Task MembershipWrite_SessionKilledHalfWay_ThrowsStoreUnavailableAndTableIsUnchanged(string lockSql)
    {
        var clusterId = "c-" + Guid.NewGuid().ToString("N");
        var application = "avi-kill-" + Guid.NewGuid().ToString("N")[..12];
        var table = Own(new PostgreSqlMembershipTable(PostgreSqlTestServer.Options(clusterId, applicationName: application)));
        await table.InitializeAsync(true, Ct);
        var entry = Entry(Silo(1));
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var before = await table.ReadAllAsync(Ct);

        await using var blocker = new NpgsqlConnection(PostgreSqlTestServer.ConnectionString);
        await blocker.OpenAsync(Ct);
        await using var hold = await blocker.BeginTransactionAsync(Ct);
        await using (var lockRow = new NpgsqlCommand(lockSql, blocker, hold))
        {
            lockRow.Parameters.AddWithValue("c", clusterId);
            await lockRow.ExecuteScalarAsync(Ct);
        }

        var write = table.UpdateRowAsync(entry with { Status = SiloStatus.Dead }, string.Empty, before.Version.Next(), Ct);
        var pid = await WaitForBlockedSessionAsync(application);
        Assert.Equal(true, await PostgreSqlTestServer.ScalarAsync("SELECT pg_terminate_backend(@pid);", Ct, ("pid", pid)));

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => write.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        await hold.RollbackAsync(Ct);
        var after = await Retry.UnavailableAsync(() => table.ReadAllAsync(Ct));

        Assert.NotNull(error.InnerException);
        Assert.Equal(before.Version, after.Version);
        Same(entry, RowOf(after, entry.Silo));
        Assert.True(await table.UpdateRowAsync(entry with { Status = SiloStatus.Active }, string.Empty, after.Version.Next(), Ct));
        Assert.Equal(before.Version.Version + 1, (await table.ReadAllAsync(Ct)).Version.Version);
    }

    [Fact]
    public async Task GrainWrite_SessionKilledWhileWaiting_ThrowsStoreUnavailableAndStateIsUnchanged()
    {
        var serviceId = "s-" + Guid.NewGuid().ToString("N");
        var application = "avi-kill-" + Guid.NewGuid().ToString("N")[..12];
        var store = Own(new PostgreSqlGrainStateStore(PostgreSqlTestServer.Options(serviceId, applicationName: application)));
        var etag = await store.WriteAsync("G", "k", new byte[] { 1 }, null, Ct);

        await using var blocker = new NpgsqlConnection(PostgreSqlTestServer.ConnectionString);
        await blocker.OpenAsync(Ct);
        await using var hold = await blocker.BeginTransactionAsync(Ct);
        await using (var lockRow = new NpgsqlCommand("SELECT version FROM avi_grain_state WHERE service_id = @s FOR UPDATE;", blocker, hold))
        {
            lockRow.Parameters.AddWithValue("s", serviceId);
            await lockRow.ExecuteScalarAsync(Ct);
        }

        var write = store.WriteAsync("G", "k", new byte[] { 2 }, etag, Ct);
        var pid = await WaitForBlockedSessionAsync(application);
        Assert.Equal(true, await PostgreSqlTestServer.ScalarAsync("SELECT pg_terminate_backend(@pid);", Ct, ("pid", pid)));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => write.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        await hold.RollbackAsync(Ct);
        var read = await Retry.UnavailableAsync(() => store.ReadAsync("G", "k", Ct));

        Assert.Equal(new byte[] { 1 }, read!.Payload.ToArray());
        Assert.Equal(etag, read.ETag);
        var next = await store.WriteAsync("G", "k", new byte[] { 3 }, etag, Ct);
        Assert.Equal(next, (await store.ReadAsync("G", "k", Ct))!.ETag);
    }

    [Fact]
    public async Task IdleConnectionsKilled_NextCallWorksOrFailsCleanly_AndTheOneAfterWorks()
    {
        var clusterId = "c-" + Guid.NewGuid().ToString("N");
        var application = "avi-idle-" + Guid.NewGuid().ToString("N")[..12];
        var table = Own(new PostgreSqlMembershipTable(PostgreSqlTestServer.Options(clusterId, applicationName: application)));
        await table.InitializeAsync(true, Ct);
        Assert.True(await table.InsertRowAsync(Entry(Silo(1)), (await table.ReadAllAsync(Ct)).Version.Next(), Ct));

        await PostgreSqlTestServer.ScalarAsync(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name;", Ct, ("name", application));

        try
        {
            await table.ReadAllAsync(Ct);
        }
        catch (StoreUnavailableException)
        {
            // Allowed: the pooled connection it used was the one killed.
        }

        var after = await Retry.UnavailableAsync(() => table.ReadAllAsync(Ct));
        Assert.Equal(1, after.Version.Version);
        Assert.True(await table.UpdateRowAsync(Entry(Silo(1), SiloStatus.Active), string.Empty, after.Version.Next(), Ct));
    }

    [Fact]
    public async Task ManyIdleConnectionsBroken_OneCallFails_TheNextWorks()
    {
        var (proxy, options) = PostgreSqlProxy.Create("c-" + Guid.NewGuid().ToString("N"));
        Own(proxy);
        var store = Own(new PostgreSqlGrainStateStore(options));
        await store.InitializeAsync(Ct);
        // Several connections at once, so the pool keeps several idle ones.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.WriteAsync("G", "k" + i, new byte[] { 1 }, null, Ct)));

        // Every connection is reset, then the server can be reached again: the pool's idle connections are all dead.
        await proxy.StartAsync();
        await proxy.EndAsync();
        try
        {
            await store.ReadAsync("G", "k0", Ct);
        }
        catch (StoreUnavailableException)
        {
            // Allowed: it met one of the dead connections.
        }

        // Not allowed: meeting the next dead one. A broken connection drops the pool's idle ones with it.
        for (var i = 1; i < 8; i++)
        {
            Assert.NotNull(await store.ReadAsync("G", "k" + i, Ct));
        }
    }

    [Fact]
    public async Task MultiHost_FirstHostDown_UsesTheLivePrimary()
    {
        var options = PostgreSqlTestServer.Options("s-" + Guid.NewGuid().ToString("N"));
        var live = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        options.ConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Host = $"127.0.0.1:{ClosedPort()},{live.Host}:{live.Port}",
        }.ToString();
        var store = Own(new PostgreSqlGrainStateStore(options));
        var table = Own(new PostgreSqlMembershipTable(options));

        var etag = await store.WriteAsync("G", "k", new byte[] { 5 }, null, Ct);
        await table.InitializeAsync(true, Ct);

        Assert.Equal(etag, (await store.ReadAsync("G", "k", Ct))!.ETag);
        Assert.Equal(0, (await table.ReadAllAsync(Ct)).Version.Version);
    }

    [Theory]
    [InlineData("", "public", "c", 5)]
    [InlineData("Host=", "public", "c", 5)]
    [InlineData("Host=h;NoSuchKeyword=1", "public", "c", 5)]
    [InlineData("Host=h", "Bad-Schema", "c", 5)]
    [InlineData("Host=h", "1schema", "c", 5)]
    [InlineData("Host=h", "public", "", 5)]
    [InlineData("Host=h", "public", "c", 0)]
    public void Options_Invalid_ConstructorThrows(string connectionString, string schema, string id, int timeoutSeconds)
    {
        var options = new PostgreSqlStoreOptions
        {
            ConnectionString = connectionString,
            Schema = schema,
            ClusterId = id,
            ServiceId = id,
            CommandTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        };

        Assert.Throws<ArgumentException>(() => new PostgreSqlMembershipTable(options));
        Assert.Throws<ArgumentException>(() => new PostgreSqlGrainStateStore(options));
    }

    [Fact]
    public void Options_FractionalTimeout_IsRejected()
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = "Host=h", CommandTimeout = TimeSpan.FromMilliseconds(1500) };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("whole seconds", error.Message, StringComparison.Ordinal);
    }
}
