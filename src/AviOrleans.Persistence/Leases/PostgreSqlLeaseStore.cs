using AviOrleans.Persistence.Internal;

namespace AviOrleans.Persistence.Leases;

/// <summary>
/// Leases of one cluster in the PostgreSQL store, judged by the server's clock (so by one clock for every host).
/// The schema is migrated (or, with <see cref="PostgreSqlStoreOptions.MigrateOnStart"/> false, checked) before the
/// first operation.
/// </summary>
public sealed class PostgreSqlLeaseStore : RelationalLeaseStore
{
    /// <summary>Creates the store; throws <see cref="ArgumentException"/> when <paramref name="options"/> or <paramref name="clusterId"/> are invalid.</summary>
    public PostgreSqlLeaseStore(PostgreSqlStoreOptions options, string clusterId)
        : base(new PostgreSqlDatabase(options ?? throw new ArgumentNullException(nameof(options))), ownsDatabase: true, options.MigrateOnStart, clusterId)
    {
    }

    internal PostgreSqlLeaseStore(StoreDatabase database, bool migrate, string clusterId)
        : base(database, ownsDatabase: false, migrate, clusterId)
    {
    }
}
