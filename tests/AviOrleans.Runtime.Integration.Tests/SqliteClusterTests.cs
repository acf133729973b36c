using AviOrleans.Runtime.AdoNet;
using AviOrleans.Runtime.Integration.Tests.Support;
using AviOrleans.Testing.Stores;

namespace AviOrleans.Runtime.Integration.Tests;

/// <summary>The cluster scenarios on a SQLite file in a temporary folder of each test's own, deleted afterwards.</summary>
public sealed class SqliteClusterTests : StoreClusterTests
{
    protected override Task<ClusterStores> CreateStoresAsync(string id)
    {
        var folder = new SqliteTestFolder();
        // Short command timeouts: during an outage every membership call waits this long for the lock.
        var options = folder.Options(id, TimeSpan.FromSeconds(2));
        var stores = new ClusterStores(
            id,
            new SqliteMembershipTable(options),
            new SqliteGrainStateStore(options),
            new SqliteMembershipTable(folder.Options(id)),
            new SqliteGrainStateStore(folder.Options(id)),
            new SqliteExclusiveLock(options.DatabasePath),
            () =>
            {
                folder.Dispose();
                return ValueTask.CompletedTask;
            });
        return Task.FromResult(stores);
    }
}
