using AviOrleans.Runtime.AdoNet.Internal;

namespace AviOrleans.Runtime.AdoNet;

/// <summary>
/// Grain state of one service (<see cref="PostgreSqlStoreOptions.ServiceId"/>) in a PostgreSQL database (one or several hosts), with
/// optimistic concurrency on an ETag that is the row's version number. The schema is migrated before the
/// first operation (or by <see cref="AdoNetGrainStateStore.InitializeAsync"/>).
/// </summary>
public sealed class PostgreSqlGrainStateStore : AdoNetGrainStateStore
{
    /// <summary>Creates the store; throws <see cref="ArgumentException"/> when <paramref name="options"/> are invalid.</summary>
    public PostgreSqlGrainStateStore(PostgreSqlStoreOptions options)
        : base(new PostgreSqlDatabase(options ?? throw new ArgumentNullException(nameof(options))), options.ServiceId)
    {
    }
}
