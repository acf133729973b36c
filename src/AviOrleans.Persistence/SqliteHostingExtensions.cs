using AviOrleans.Persistence.Internal;
using Orleans.Hosting;

namespace AviOrleans.Persistence;

/// <summary>
/// Orleans' ADO.NET clustering, grain storage and reminder providers on a SQLite file (the embedded single-host default; several silo processes on the host may share it),
/// with the project's schema migrated at silo start, configured by <see cref="SqliteStoreOptions"/> (validated at start).
/// Each call has its own options; calls naming the same database share one connection pool and one migration.
/// </summary>
public static class SqliteHostingExtensions
{
    /// <summary>Keeps the silo's membership table in the Sqlite store.</summary>
    public static ISiloBuilder UseSqliteClustering(this ISiloBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        StoreRegistrations.AddClustering(builder, StoreRegistrations.Named(builder.Services, StoreRegistrations.ClusteringKey, configure, silo: true));
        return builder;
    }

    /// <summary>Finds the cluster's gateways in the Sqlite store; never changes the schema.</summary>
    public static IClientBuilder UseSqliteClustering(this IClientBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        StoreRegistrations.AddClustering(builder, StoreRegistrations.Named(builder.Services, StoreRegistrations.ClusteringKey, configure, silo: false));
        return builder;
    }

    /// <summary>Adds the grain storage provider <paramref name="name"/>, keeping grain state in the Sqlite store.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        StoreRegistrations.AddGrainStorage(builder, name, StoreRegistrations.Named(builder.Services, StoreRegistrations.GrainStorageKey(name), configure, silo: true));
        return builder;
    }

    /// <summary>Uses Orleans' reminder service with its reminder table in the Sqlite store.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        StoreRegistrations.AddReminders(builder, StoreRegistrations.Named(builder.Services, StoreRegistrations.RemindersKey, configure, silo: true));
        return builder;
    }
}
