using AviOrleans.Runtime.AdoNet.Tests.Contract;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Tests.PostgreSql;

/// <summary>The lease contract against <see cref="PostgreSqlLeaseStore"/>; the server's clock is real, so expiry waits (bounded).</summary>
public sealed class PostgreSqlLeaseStoreTests : LeaseStoreContractTests
{
    protected override Task<ILeaseStore> CreateStoreAsync(string clusterId) =>
        Task.FromResult<ILeaseStore>(Own(new PostgreSqlLeaseStore(PostgreSqlTestServer.Options(clusterId))));

    protected override Task<(ILeaseStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string clusterId)
    {
        var (proxy, options) = PostgreSqlProxy.Create(clusterId);
        var store = Own(new PostgreSqlLeaseStore(options));
        return Task.FromResult<(ILeaseStore, IStoreOutage)>((store, proxy));
    }

    protected override Task LetStoreTimePassAsync(TimeSpan time) => Task.Delay(time, TestContext.Current.CancellationToken);
}
