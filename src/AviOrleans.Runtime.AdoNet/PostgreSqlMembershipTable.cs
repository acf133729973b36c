using AviOrleans.Runtime.AdoNet.Internal;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// The membership table of one cluster (<see cref="PostgreSqlStoreOptions.ClusterId"/>) in a PostgreSQL database (one or several hosts).
/// Several instances, in one process or many, may serve the same cluster: each is one silo's view of the
/// shared table. The schema is migrated before the first operation.
/// </summary>
public sealed class PostgreSqlMembershipTable : AdoNetMembershipTable
{
    /// <summary>Creates the table; throws <see cref="ArgumentException"/> when <paramref name="options"/> are invalid.</summary>
    public PostgreSqlMembershipTable(PostgreSqlStoreOptions options)
        : base(new PostgreSqlDatabase(options ?? throw new ArgumentNullException(nameof(options))), options.ClusterId)
    {
    }
}
