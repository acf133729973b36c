using AviOrleans.Persistence.Internal;
using Orleans.Hosting;

namespace AviOrleans.Persistence;

/// <summary>
/// Orleans' ADO.NET clustering, grain storage and reminder providers on a PostgreSQL database (one or several hosts),
/// with the project's schema migrated at silo start, configured by <see cref="PostgreSqlStoreOptions"/> (validated at start).
/// Each call has its own options; calls naming the same database share one connection pool and one migration.
/// </summary>
public static class PostgreSqlHostingExtensions
{
    /// <summary>Keeps the silo's membership table in the PostgreSql store.</summary>
    public static ISiloBuilder UsePostgreSqlClustering(this ISiloBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        StoreRegistrations.AddClustering(builder, StoreRegistrations.Named(builder.Services, StoreRegistrations.ClusteringKey, configure, silo: true));
        return builder;
    }

    /// <summary>Finds the cluster's gateways in the PostgreSql store; never changes the schema.</summary>
    public static IClientBuilder UsePostgreSqlClustering(this IClientBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        StoreRegistrations.AddClustering(builder, StoreRegistrations.Named(builder.Services, StoreRegistrations.ClusteringKey, configure, silo: false));
        return builder;
    }

    /// <summary>Adds the grain storage provider <paramref name="name"/>, keeping grain state in the PostgreSql store.</summary>
    public static ISiloBuilder AddPostgreSqlGrainStorage(this ISiloBuilder builder, string name, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        StoreRegistrations.AddGrainStorage(builder, name, StoreRegistrations.Named(builder.Services, StoreRegistrations.GrainStorageKey(name), configure, silo: true));
        return builder;
    }

    /// <summary>Uses Orleans' reminder service with its reminder table in the PostgreSql store.</summary>
    public static ISiloBuilder UsePostgreSqlReminderService(this ISiloBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        StoreRegistrations.AddReminders(builder, StoreRegistrations.Named(builder.Services, StoreRegistrations.RemindersKey, configure, silo: true));
        return builder;
    }
}
