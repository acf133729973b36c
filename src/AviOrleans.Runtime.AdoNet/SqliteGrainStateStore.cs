using AviOrleans.Runtime.AdoNet.Internal;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// Grain state of one service (<see cref="SqliteStoreOptions.ServiceId"/>) in a SQLite database file (the embedded single-host default), with
/// optimistic concurrency on an ETag that is the row's version number. The schema is migrated before the
/// first operation (or by <see cref="AdoNetGrainStateStore.InitializeAsync"/>).
/// </summary>
public sealed class SqliteGrainStateStore : AdoNetGrainStateStore
{
    /// <summary>Creates the store; throws <see cref="ArgumentException"/> when <paramref name="options"/> are invalid.</summary>
    public SqliteGrainStateStore(SqliteStoreOptions options)
        : base(new SqliteDatabase(options ?? throw new ArgumentNullException(nameof(options))), options.ServiceId)
    {
    }
}
