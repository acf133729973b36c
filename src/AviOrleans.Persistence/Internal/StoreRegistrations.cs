using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Messaging;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;
using Orleans.Storage;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// How the public extension methods register Orleans' ADO.NET providers on our databases: each provider is added
/// the way its own package adds it (options, validators, lifecycle), its options get the database's invariant and
/// <see cref="System.Data.Common.DbDataSource"/>, and its registration is then replaced by one of our wrappers
/// around the provider's own instance (schema before first use, <see cref="StoreException"/>s for driver failures).
/// </summary>
internal static class StoreRegistrations
{
    public const string ClusteringKey = "AviOrleans.Persistence.Clustering";
    public const string RemindersKey = "AviOrleans.Persistence.Reminders";
    public const string LeasesKey = "AviOrleans.Persistence.Leases";

    public static string GrainStorageKey(string name) => "AviOrleans.Persistence.GrainStorage." + name;

    public static void AddClustering(ISiloBuilder builder, Func<IServiceProvider, StoreTarget> resolve)
    {
        var services = builder.Services;
        AddTarget(services, ClusteringKey, resolve, silo: true);
        builder.UseAdoNetClustering(options => options.Configure<IServiceProvider>((o, sp) =>
        {
            var target = sp.GetRequiredKeyedService<StoreTarget>(ClusteringKey);
            o.Invariant = target.Database.Invariant;
            o.DataSource = target.Database.DataSource;
        }));
        services.RemoveAll<IMembershipTable>();
        services.AddSingleton<IMembershipTable>(sp =>
        {
            var target = sp.GetRequiredKeyedService<StoreTarget>(ClusteringKey);
            return new StoreMembershipTable(ActivatorUtilities.CreateInstance<AdoNetClusteringTable>(sp), target.Database, target.Migrate);
        });
    }

    public static void AddClustering(IClientBuilder builder, Func<IServiceProvider, StoreTarget> resolve)
    {
        var services = builder.Services;
        AddTarget(services, ClusteringKey, resolve, silo: false);
        builder.UseAdoNetClustering(options => options.Configure<IServiceProvider>((o, sp) =>
        {
            var target = sp.GetRequiredKeyedService<StoreTarget>(ClusteringKey);
            o.Invariant = target.Database.Invariant;
            o.DataSource = target.Database.DataSource;
        }));
        services.RemoveAll<IGatewayListProvider>();
        services.AddSingleton<IGatewayListProvider>(sp => new StoreGatewayListProvider(
            ActivatorUtilities.CreateInstance<AdoNetGatewayListProvider>(sp),
            sp.GetRequiredKeyedService<StoreTarget>(ClusteringKey).Database));
    }

    public static void AddGrainStorage(ISiloBuilder builder, string name, Func<IServiceProvider, StoreTarget> resolve)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        var key = GrainStorageKey(name);
        AddTarget(services, key, resolve, silo: true);
        services.AddAdoNetGrainStorage(name, options => options.Configure<IServiceProvider>((o, sp) =>
        {
            var target = sp.GetRequiredKeyedService<StoreTarget>(key);
            o.Invariant = target.Database.Invariant;
            o.DataSource = target.Database.DataSource;
            o.ConnectionString = null;
        }));

        // The package registered the provider under its name, and a lifecycle participant that resolves that name:
        // replacing the keyed registration puts our wrapper in both places.
        var registered = services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => new StoreGrainStorage(
            AdoNetGrainStorageFactory.Create(sp, name),
            sp.GetRequiredKeyedService<StoreTarget>(key).Database,
            name));
    }

    public static void AddReminders(ISiloBuilder builder, Func<IServiceProvider, StoreTarget> resolve)
    {
        var services = builder.Services;
        AddTarget(services, RemindersKey, resolve, silo: true);
        builder.UseAdoNetReminderService(options => options.Configure<IServiceProvider>((o, sp) =>
        {
            var target = sp.GetRequiredKeyedService<StoreTarget>(RemindersKey);
            o.Invariant = target.Database.Invariant;
            o.DataSource = target.Database.DataSource;
        }));

        // The package's table type is internal: the wrapper makes it the way the container would have.
        var registered = services.Last(d => d.ServiceType == typeof(IReminderTable) && !d.IsKeyedService);
        var implementation = registered.ImplementationType
            ?? throw new InvalidOperationException("Orleans' ADO.NET reminder service no longer registers its table by type; this build of AviOrleans.Persistence does not know how to wrap it.");
        services.RemoveAll<IReminderTable>();
        services.AddSingleton<IReminderTable>(sp =>
        {
            var target = sp.GetRequiredKeyedService<StoreTarget>(RemindersKey);
            return new StoreReminderTable((IReminderTable)ActivatorUtilities.CreateInstance(sp, implementation), target.Database, target.Migrate);
        });
    }

    public static void AddLeaseStore(ISiloBuilder builder, Func<IServiceProvider, StoreTarget> resolve)
    {
        var services = builder.Services;
        AddTarget(services, LeasesKey, resolve, silo: true);
        services.AddSingleton<ILeaseStore>(sp =>
        {
            var target = sp.GetRequiredKeyedService<StoreTarget>(LeasesKey);
            var clusterId = sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId;
            return target.Database is SqliteDatabase
                ? new SqliteLeaseStore(target.Database, target.Migrate, clusterId)
                : new PostgreSqlLeaseStore(target.Database, target.Migrate, clusterId);
        });
    }

    /// <summary>Named per-database options for one registration, validated at start.</summary>
    public static Func<IServiceProvider, StoreTarget> Named(IServiceCollection services, string key, Action<SqliteStoreOptions> configure, bool silo)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqliteStoreOptions>(key).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        return sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<SqliteStoreOptions>>().Get(key);
            return new StoreTarget(sp.GetRequiredService<StoreDatabases>().Get(options), silo && options.MigrateOnStart);
        };
    }

    /// <inheritdoc cref="Named(IServiceCollection, string, Action{SqliteStoreOptions}, bool)"/>
    public static Func<IServiceProvider, StoreTarget> Named(IServiceCollection services, string key, Action<PostgreSqlStoreOptions> configure, bool silo)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PostgreSqlStoreOptions>(key).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        return sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<PostgreSqlStoreOptions>>().Get(key);
            return new StoreTarget(sp.GetRequiredService<StoreDatabases>().Get(options), silo && options.MigrateOnStart);
        };
    }

    /// <summary>The one <see cref="StoreOptions"/> of a host, validated at start.</summary>
    public static Func<IServiceProvider, StoreTarget> FromStoreOptions(IServiceCollection services, Action<StoreOptions> configure, bool silo)
    {
        services.AddOptions<StoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        return sp =>
        {
            var target = sp.GetRequiredService<StoreDatabases>().Get(sp.GetRequiredService<IOptions<StoreOptions>>().Value);
            return silo ? target : target with { Migrate = false };
        };
    }

    private static void AddTarget(IServiceCollection services, string key, Func<IServiceProvider, StoreTarget> resolve, bool silo)
    {
        services.TryAddSingleton<StoreDatabases>();
        services.AddKeyedSingleton(key, (sp, _) => resolve(sp));
        services.AddOptions<ClusterOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterIdsValidator>());
        if (silo)
        {
            services.AddSingleton(new StoreUse(key));
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, StoreSchemaStartup>());
        }
    }
}
