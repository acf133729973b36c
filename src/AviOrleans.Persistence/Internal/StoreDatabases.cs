using System.Collections.Concurrent;
using System.Globalization;

namespace AviOrleans.Persistence.Internal;

/// <summary>
/// The databases of one host (silo or client), one instance per distinct database and settings: clustering, grain
/// storage, reminders and leases that name the same file or server share one connection pool and migrate once.
/// Owned by the host's service provider, which disposes it (and the pools) when the host is disposed.
/// </summary>
internal sealed class StoreDatabases : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<StoreDatabase>> _databases = new(StringComparer.Ordinal);

    public StoreDatabase Get(SqliteStoreOptions options)
    {
        options.Validate();
        var key = string.Create(CultureInfo.InvariantCulture, $"sqlite\n{options.DatabasePath}\n{options.CommandTimeout.Ticks}\n{options.FlushEveryCommit}");
        return _databases.GetOrAdd(key, _ => new Lazy<StoreDatabase>(() => new SqliteDatabase(options))).Value;
    }

    public StoreDatabase Get(PostgreSqlStoreOptions options)
    {
        options.Validate();
        var key = string.Create(CultureInfo.InvariantCulture, $"postgresql\n{options.ConnectionString}\n{options.Schema}\n{options.CommandTimeout.Ticks}");
        return _databases.GetOrAdd(key, _ => new Lazy<StoreDatabase>(() => new PostgreSqlDatabase(options))).Value;
    }

    public StoreTarget Get(StoreOptions options)
    {
        options.Validate();
        return options.Kind == StoreKind.Sqlite
            ? new StoreTarget(Get(options.Sqlite), options.Sqlite.MigrateOnStart)
            : new StoreTarget(Get(options.PostgreSql), options.PostgreSql.MigrateOnStart);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases.Values.Where(d => d.IsValueCreated))
        {
            await database.Value.DisposeAsync().ConfigureAwait(false);
        }

        _databases.Clear();
    }
}
