using AviOrleans.Runtime.AdoNet.Internal;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// Leases of one cluster (<see cref="SqliteStoreOptions.ClusterId"/>) in a SQLite database file, judged by the host's clock as SQLite reads it.
/// The schema is migrated before the first operation.
/// </summary>
public sealed class SqliteLeaseStore : AdoNetLeaseStore
{
    /// <summary>Creates the store; throws <see cref="ArgumentException"/> when <paramref name="options"/> are invalid.</summary>
    public SqliteLeaseStore(SqliteStoreOptions options)
        : base(new SqliteDatabase(options ?? throw new ArgumentNullException(nameof(options))), options.ClusterId)
    {
    }
}
