using AviOrleans.Runtime.AdoNet.Internal;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// Leases of one cluster (<see cref="PostgreSqlStoreOptions.ClusterId"/>) in a PostgreSQL database, judged by the server's clock (so by one clock for every silo).
/// The schema is migrated before the first operation.
/// </summary>
public sealed class PostgreSqlLeaseStore : AdoNetLeaseStore
{
    /// <summary>Creates the store; throws <see cref="ArgumentException"/> when <paramref name="options"/> are invalid.</summary>
    public PostgreSqlLeaseStore(PostgreSqlStoreOptions options)
        : base(new PostgreSqlDatabase(options ?? throw new ArgumentNullException(nameof(options))), options.ClusterId)
    {
    }
}
