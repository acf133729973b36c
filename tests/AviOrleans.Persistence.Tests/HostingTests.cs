using AviOrleans.Persistence.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AviOrleans.Persistence.Tests;

/// <summary>
/// Bad input at start, as the silo process meets it: a silo or client given bad store options, an unreachable
/// database, a missing or foreign schema, or a read-only data folder fails to start, and the one exception a host
/// prints (<see cref="OptionsValidationException"/>, or the <see cref="StoreException"/> that
/// <see cref="StoreException.FindIn"/> digs out of Orleans' wrapping) names the cause.
/// </summary>
public sealed class HostingTests : IAsyncLifetime
{
    private readonly SqliteFolder _folder = new();
    private readonly PostgreSqlSchemas _schemas = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _schemas.DisposeAsync();
        _folder.Dispose();
    }

    private static async Task<Exception> SiloStartFailureAsync(Action<StoreOptions> store, string? clusterId = null)
    {
        await using var silo = TestSilo.Create(clusterId ?? "h-" + Guid.NewGuid().ToString("N"), "bad", s => s.UseAviStore(store));
        return await Assert.ThrowsAnyAsync<Exception>(silo.StartAsync);
    }

    private static async Task<Exception> ClientStartFailureAsync(Action<StoreOptions> store)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("h", "h"));
            client.UseAviStore(store);
        });
        using var host = builder.Build();
        return await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(Ct).WaitAsync(TimeSpan.FromSeconds(120), Ct));
    }

    [Fact]
    public async Task Silo_InvalidStoreOptions_FailsToStartNamingEveryBadOption()
    {
        var error = await SiloStartFailureAsync(o =>
        {
            o.Kind = StoreKind.PostgreSql;
            o.PostgreSql.Schema = "Bad-Schema";
        });

        var validation = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains("PostgreSql.ConnectionString is required.", validation.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSql.Schema must be a plain lower-case identifier", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_ClusterIdTooLongForTheTables_FailsToStart()
    {
        var error = await SiloStartFailureAsync(o => o.UseSqlite(_folder.Path), clusterId: new string('c', 151));

        Assert.Contains("ClusterOptions.ClusterId must be at most 150 characters", Assert.IsType<OptionsValidationException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_DatabaseNotListening_FailsToStartWithStoreUnavailable()
    {
        var closed = $"Host=127.0.0.1;Port={FreePorts.Next()};Username=postgres;Database=postgres";

        var error = await SiloStartFailureAsync(o => o.UsePostgreSql(closed));

        var store = Assert.IsType<StoreUnavailableException>(StoreException.FindIn(error));
        Assert.Contains("Connection refused", store.Message, StringComparison.Ordinal);
        Assert.Contains("while migrating the schema", store.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_ForeignSchema_FailsToStartWithAStoreSchemaError()
    {
        var options = _schemas.Options();
        await PostgreSqlTestServer.ScalarAsync($"CREATE SCHEMA {options.Schema}; CREATE TABLE {options.Schema}.orleansquery (querykey text, querytext text);", Ct);

        var error = await SiloStartFailureAsync(o =>
        {
            o.UsePostgreSql(options.ConnectionString);
            o.PostgreSql.Schema = options.Schema;
        });

        Assert.Contains("did not create", Assert.IsType<StoreSchemaException>(StoreException.FindIn(error)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_MayNotMigrateAndTheSchemaIsMissing_FailsToStartWithAStoreSchemaError()
    {
        var options = _schemas.Options();

        var error = await SiloStartFailureAsync(o =>
        {
            o.UsePostgreSql(options.ConnectionString);
            o.PostgreSql.Schema = options.Schema;
            o.PostgreSql.MigrateOnStart = false;
        });

        Assert.Contains("db migrate", Assert.IsType<StoreSchemaException>(StoreException.FindIn(error)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_ReadOnlyDataFolder_FailsToStartWithAConfigurationError()
    {
        await using var readOnly = await ReadOnlyMount.EmptyAsync(Path.Combine(_folder.Path, "ro"));

        var error = await SiloStartFailureAsync(o => o.UseSqlite(readOnly.Path));

        var store = Assert.IsType<StoreConfigurationException>(StoreException.FindIn(error));
        Assert.Contains("Read-only file system", store.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_DatabaseWithoutSchema_FailsToStartWithAStoreSchemaErrorAndCreatesNothing()
    {
        var error = await ClientStartFailureAsync(o => o.UseSqlite(_folder.Path));

        Assert.Contains("holds no AviOrleans schema", Assert.IsType<StoreSchemaException>(StoreException.FindIn(error)).Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void FindIn_WrappedInInnerAndAggregateExceptions_FindsTheStoreException()
    {
        var store = new StoreUnavailableException("down");
        var wrapped = new InvalidOperationException("start failed", new AggregateException(new TimeoutException(), new InvalidOperationException("outer", store)));

        Assert.Same(store, StoreException.FindIn(wrapped));
        Assert.Null(StoreException.FindIn(new InvalidOperationException("no store here")));
        Assert.Null(StoreException.FindIn(null));
    }
}
