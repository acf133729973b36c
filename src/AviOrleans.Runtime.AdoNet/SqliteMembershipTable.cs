using AviOrleans.Runtime.AdoNet.Internal;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// The membership table of one cluster (<see cref="SqliteStoreOptions.ClusterId"/>) in a SQLite database file (the embedded single-host default).
/// Several instances, in one process or many, may serve the same cluster: each is one silo's view of the
/// shared table. The schema is migrated before the first operation.
/// </summary>
public sealed class SqliteMembershipTable : AdoNetMembershipTable
{
    /// <summary>Creates the table; throws <see cref="ArgumentException"/> when <paramref name="options"/> are invalid.</summary>
    public SqliteMembershipTable(SqliteStoreOptions options)
        : base(new SqliteDatabase(options ?? throw new ArgumentNullException(nameof(options))), options.ClusterId)
    {
    }
}
