using AviOrleans.Runtime.AdoNet;
using AviOrleans.Runtime.Integration.Tests.Support;
using AviOrleans.Testing.Stores;

namespace AviOrleans.Runtime.Integration.Tests;

/// <summary>
/// The cluster scenarios on the PostgreSQL server in AVIORLEANS_TEST_POSTGRES (fails where CI=true without it), each
/// test with its own cluster and service id; the silos reach the server through a proxy the outage test cuts.
/// </summary>
public sealed class PostgreSqlClusterTests : StoreClusterTests
{
    protected override Task<ClusterStores> CreateStoresAsync(string id)
    {
        var (proxy, options) = PostgreSqlProxy.Create(id);
        var direct = PostgreSqlTestServer.Options(id);
        var stores = new ClusterStores(
            id,
            new PostgreSqlMembershipTable(options),
            new PostgreSqlGrainStateStore(options),
            new PostgreSqlMembershipTable(direct),
            new PostgreSqlGrainStateStore(direct),
            proxy);
        return Task.FromResult(stores);
    }
}
