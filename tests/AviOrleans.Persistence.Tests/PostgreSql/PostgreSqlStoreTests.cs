using AviOrleans.Persistence.Internal;
using AviOrleans.Persistence.Leases;
using AviOrleans.Persistence.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;

namespace AviOrleans.Persistence.Tests.PostgreSql;

/// <summary>
/// What only the PostgreSQL store does: migrations by several silos at once in a fresh schema, a role that may
/// not create schemas, a server that is not there or refuses the user or database, a foreign or newer schema, grain
/// state while the server is away, and a multi-host connection string.
/// </summary>
public sealed class PostgreSqlStoreTests : IAsyncLifetime
{
    private readonly PostgreSqlSchemas _schemas = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _schemas.DisposeAsync();

    private static StoreOptions Store(PostgreSqlStoreOptions postgreSql) => new() { Kind = StoreKind.PostgreSql, PostgreSql = postgreSql };

    private static string WithConnection(Action<NpgsqlConnectionStringBuilder> change)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgreSqlTestServer.ConnectionString);
        change(builder);
        return builder.ToString();
    }

    [Fact]
    public async Task Migrate_ManySilosStartingAtOnceInAFreshSchemaThenAgain_AppliesEachStepOnce()
    {
        var options = _schemas.Options();

        var migrations = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => StoreMigrator.MigrateAsync(Store(options), Ct), Ct)))
            .WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var again = await StoreMigrator.MigrateAsync(Store(options), Ct);
        await StoreMigrator.CheckAsync(Store(options), Ct);

        Assert.Single(migrations, m => m.Changed);
        Assert.False(again.Changed);
        Assert.Equal((long)PostgreSqlSchema.Steps.Count, await PostgreSqlTestServer.ScalarAsync($"SELECT count(*) FROM {options.Schema}.avi_persistence_schema;", Ct));
        Assert.Equal((long)PostgreSqlSchema.Steps.SelectMany(s => s.Queries.Keys).Distinct().Count(),
            await PostgreSqlTestServer.ScalarAsync($"SELECT count(*) FROM {options.Schema}.orleansquery;", Ct));
        Assert.Contains($"(schema {options.Schema})", again.Store, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", again.Store, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RoleThatMayNotCreate_StartsOnAnExistingSchema_AndCannotMigrateAnEmptyOne()
    {
        var options = _schemas.Options();
        var empty = _schemas.Options();
        var role = "r_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            // The owner migrates; the application role may use the tables but create nothing.
            await StoreMigrator.MigrateAsync(Store(options), Ct);
            await PostgreSqlTestServer.ScalarAsync($"""
                CREATE ROLE {role} LOGIN;
                GRANT USAGE ON SCHEMA {options.Schema} TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {options.Schema} TO {role};
                """, Ct);
            var asRole = WithConnection(b => (b.Username, b.Pooling) = (role, false));
            await using var leases = new PostgreSqlLeaseStore(_schemas.Options(options.Schema, asRole), "c");

            var lease = await leases.TryAcquireAsync("se-a", "host-1", TimeSpan.FromMinutes(1), Ct);
            var error = await Assert.ThrowsAsync<StoreConfigurationException>(() => StoreMigrator.MigrateAsync(Store(_schemas.Options(empty.Schema, asRole)), Ct));

            Assert.Equal(1, lease!.Epoch);
            Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
            Assert.Contains($"(schema {empty.Schema})", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await PostgreSqlTestServer.ScalarAsync($"DROP SCHEMA IF EXISTS {options.Schema} CASCADE;", CancellationToken.None);
            await PostgreSqlTestServer.ScalarAsync($"DROP ROLE IF EXISTS {role};", CancellationToken.None);
        }
    }

    [Fact]
    public async Task ServerNotListening_FailsQuicklyWithStoreUnavailableNamingTheCause()
    {
        var options = _schemas.Options(connectionString: WithConnection(b => (b.Host, b.Port) = ("127.0.0.1", FreePorts.Next())), commandTimeout: TimeSpan.FromSeconds(5));
        await using var leases = new PostgreSqlLeaseStore(options, "c");

        var migrate = await Assert.ThrowsAsync<StoreUnavailableException>(() => StoreMigrator.MigrateAsync(Store(options), Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct));
        var lease = await Assert.ThrowsAsync<StoreUnavailableException>(() => leases.ReadAsync("se-a", Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct));

        Assert.Contains("Connection refused", migrate.Message, StringComparison.Ordinal);
        Assert.Contains("is unavailable while migrating the schema", migrate.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", lease.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownUserOrDatabase_FailsWithAConfigurationErrorNamingIt()
    {
        var noUser = _schemas.Options(connectionString: WithConnection(b => b.Username = "nobody_" + Guid.NewGuid().ToString("N")[..8]));
        var noDatabase = _schemas.Options(connectionString: WithConnection(b => b.Database = "missing_" + Guid.NewGuid().ToString("N")[..8]));

        var user = await Assert.ThrowsAsync<StoreConfigurationException>(() => StoreMigrator.MigrateAsync(Store(noUser), Ct));
        var database = await Assert.ThrowsAsync<StoreConfigurationException>(() => StoreMigrator.MigrateAsync(Store(noDatabase), Ct));

        Assert.Contains("role \"nobody_", user.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", database.Message, StringComparison.Ordinal);
        Assert.Contains(new NpgsqlConnectionStringBuilder(noDatabase.ConnectionString).Database!, database.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_ForeignOrleansQueryTable_FailsWithASchemaErrorAndChangesNothing()
    {
        var options = _schemas.Options();
        await PostgreSqlTestServer.ScalarAsync($"CREATE SCHEMA {options.Schema}; CREATE TABLE {options.Schema}.orleansquery (querykey text PRIMARY KEY, querytext text);", Ct);

        var migrate = await Assert.ThrowsAsync<StoreSchemaException>(() => StoreMigrator.MigrateAsync(Store(options), Ct));
        var check = await Assert.ThrowsAsync<StoreSchemaException>(() => StoreMigrator.CheckAsync(Store(options), Ct));

        Assert.Contains("did not create", migrate.Message, StringComparison.Ordinal);
        Assert.Equal(migrate.Message, check.Message);
        Assert.Equal(1L, await PostgreSqlTestServer.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = @s;", Ct, ("s", options.Schema)));
    }

    [Fact]
    public async Task Schema_MissingOrOfANewerBuild_FailsWithASchemaError()
    {
        var missing = _schemas.Options();
        var newer = _schemas.Options();
        await StoreMigrator.MigrateAsync(Store(newer), Ct);
        await PostgreSqlTestServer.ScalarAsync($"INSERT INTO {newer.Schema}.avi_persistence_schema (version, description) VALUES ({PostgreSqlSchema.LatestVersion + 1}, 'from the future');", Ct);

        var none = await Assert.ThrowsAsync<StoreSchemaException>(() => StoreMigrator.CheckAsync(Store(missing), Ct));
        var future = await Assert.ThrowsAsync<StoreSchemaException>(() => StoreMigrator.MigrateAsync(Store(newer), Ct));

        Assert.Contains("holds no AviOrleans schema", none.Message, StringComparison.Ordinal);
        Assert.Contains("newer AviOrleans", future.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await PostgreSqlTestServer.ScalarAsync("SELECT count(*) FROM pg_namespace WHERE nspname = @s;", Ct, ("s", missing.Schema)));
    }

    [Fact]
    public async Task GrainState_ServerAway_FailsWithStoreUnavailable_ThenWritesAgainAndLosesNothing()
    {
        var clusterId = "o-" + Guid.NewGuid().ToString("N");
        var (proxy, options) = _schemas.Proxied(PostgreSqlSchemas.NewName(), TimeSpan.FromSeconds(2));
        await using var _ = proxy;
        await using var silo = await TestSilo.StartAsync(clusterId, "outage", s =>
        {
            s.UseLocalhostClustering(FreePorts.Next(), FreePorts.Next(), serviceId: clusterId, clusterId: clusterId);
            s.AddPostgreSqlGrainStorage("ha", o => PostgreSqlMembershipTableTests.Copy(options, o));
        });
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>("ha");
        var grain = GrainId.Create("ha-test", "se-1");
        var state = new GrainState<TestState> { State = TestState.Of(1) };
        await storage.WriteStateAsync("state", grain, state);

        await proxy.StartAsync();
        state.State = TestState.Of(2);
        var write = await Assert.ThrowsAsync<StoreUnavailableException>(() => storage.WriteStateAsync("state", grain, state).WaitAsync(TimeSpan.FromSeconds(60), Ct));
        var read = await Assert.ThrowsAsync<StoreUnavailableException>(() => storage.ReadStateAsync("state", grain, new GrainState<TestState>()).WaitAsync(TimeSpan.FromSeconds(60), Ct));
        await proxy.EndAsync();

        var after = new GrainState<TestState>();
        await Retry.UnavailableAsync(async () =>
        {
            await storage.ReadStateAsync("state", grain, after);
            return true;
        });
        Assert.True(TestState.Of(1).SameAs(after.State));
        after.State = TestState.Of(3);
        await storage.WriteStateAsync("state", grain, after);
        Assert.Contains("writing state 'state' of ha-test/se-1 (grain storage 'ha')", write.Message, StringComparison.Ordinal);
        Assert.Contains("reading state", read.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MultiHostConnectionString_FirstHostDown_UsesThePrimaryThatAnswers()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgreSqlTestServer.ConnectionString);
        var options = _schemas.Options(connectionString: WithConnection(b => b.Host = $"127.0.0.1:{FreePorts.Next()},{server.Host}:{server.Port}"));

        var migration = await StoreMigrator.MigrateAsync(Store(options), Ct);
        await using var leases = new PostgreSqlLeaseStore(options, "c");
        var lease = await leases.TryAcquireAsync("se-a", "host-1", TimeSpan.FromMinutes(1), Ct);

        Assert.True(migration.Changed);
        Assert.Equal(1, lease!.Epoch);
    }

    [Theory]
    [InlineData("", "public", 5)]
    [InlineData("Host=", "public", 5)]
    [InlineData("Host=h;Port=notaport", "public", 5)]
    [InlineData("Host=h;Bogus Keyword=1", "public", 5)]
    [InlineData("Host=h", "Public", 5)]
    [InlineData("Host=h", "a;drop", 5)]
    [InlineData("Host=h", "public", 0)]
    public async Task Options_Invalid_FailBeforeConnecting(string connectionString, string schema, int timeoutSeconds)
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = connectionString, Schema = schema, CommandTimeout = TimeSpan.FromSeconds(timeoutSeconds) };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        await Assert.ThrowsAsync<ArgumentException>(() => StoreMigrator.MigrateAsync(Store(options), Ct));
        Assert.Throws<ArgumentException>(() => new PostgreSqlLeaseStore(options, "c"));

        Assert.StartsWith("Invalid PostgreSqlStoreOptions:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_PasswordInAnInvalidConnectionString_IsNotRepeatedInTheError()
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = "Host=h;Password=s3cret;Port=x" };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }
}
