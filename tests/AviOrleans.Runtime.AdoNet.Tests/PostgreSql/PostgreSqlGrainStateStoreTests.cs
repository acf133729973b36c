using AviOrleans.Runtime.AdoNet.Tests.Contract;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Tests.PostgreSql;

/// <summary>
/// The grain state contract against <see cref="PostgreSqlGrainStateStore"/> on the server in
/// AVIORLEANS_TEST_POSTGRES; every client has its own data source (its own connections).
/// </summary>
public sealed class PostgreSqlGrainStateStoreTests : GrainStateStoreContractTests
{
    protected override Task<IGrainStateStore> CreateStoreAsync(string serviceId) =>
        Task.FromResult<IGrainStateStore>(Own(new PostgreSqlGrainStateStore(PostgreSqlTestServer.Options(serviceId))));

    protected override Task<(IGrainStateStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string serviceId)
    {
        var (proxy, options) = PostgreSqlProxy.Create(serviceId);
        var store = Own(new PostgreSqlGrainStateStore(options));
        return Task.FromResult<(IGrainStateStore, IStoreOutage)>((store, proxy));
    }
}
