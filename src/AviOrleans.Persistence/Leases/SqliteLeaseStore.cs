using AviOrleans.Persistence.Internal;

namespace AviOrleans.Persistence.Leases;

/// <summary>
/// Leases of one cluster in the SQLite store (the embedded single-host default), judged by the host's clock as
/// SQLite reads it: one clock for every process on the host. The schema is migrated (or, with
/// <see cref="SqliteStoreOptions.MigrateOnStart"/> false, checked) before the first operation.
/// </summary>
public sealed class SqliteLeaseStore : RelationalLeaseStore
{
    /// <summary>Creates the store; throws <see cref="ArgumentException"/> when <paramref name="options"/> or <paramref name="clusterId"/> are invalid.</summary>
    public SqliteLeaseStore(SqliteStoreOptions options, string clusterId)
        : base(new SqliteDatabase(options ?? throw new ArgumentNullException(nameof(options))), ownsDatabase: true, options.MigrateOnStart, clusterId)
    {
    }

    internal SqliteLeaseStore(StoreDatabase database, bool migrate, string clusterId)
        : base(database, ownsDatabase: false, migrate, clusterId)
    {
    }
}
