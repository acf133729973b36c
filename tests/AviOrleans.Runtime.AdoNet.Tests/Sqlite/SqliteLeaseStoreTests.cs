using AviOrleans.Runtime.AdoNet.Tests.Contract;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Tests.Sqlite;

/// <summary>The lease contract against <see cref="SqliteLeaseStore"/>; the store's clock is real, so expiry waits (bounded).</summary>
public sealed class SqliteLeaseStoreTests(SqliteTestFolder folder) : LeaseStoreContractTests, IClassFixture<SqliteTestFolder>
{
    protected override Task<ILeaseStore> CreateStoreAsync(string clusterId) =>
        Task.FromResult<ILeaseStore>(Own(new SqliteLeaseStore(folder.Options(clusterId))));

    protected override Task<(ILeaseStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string clusterId)
    {
        var options = folder.Options(clusterId, TimeSpan.FromSeconds(1));
        var store = Own(new SqliteLeaseStore(options));
        return Task.FromResult<(ILeaseStore, IStoreOutage)>((store, new SqliteExclusiveLock(options.DatabasePath)));
    }

    protected override Task LetStoreTimePassAsync(TimeSpan time) => Task.Delay(time, TestContext.Current.CancellationToken);
}
