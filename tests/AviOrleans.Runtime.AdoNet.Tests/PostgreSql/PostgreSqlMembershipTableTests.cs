using AviOrleans.Runtime.AdoNet.Tests.Contract;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet.Tests.PostgreSql;

/// <summary>
/// The membership contract against <see cref="PostgreSqlMembershipTable"/> on the server in
/// AVIORLEANS_TEST_POSTGRES; every client has its own data source (its own connections).
/// </summary>
public sealed class PostgreSqlMembershipTableTests : MembershipTableContractTests
{
    protected override Task<IMembershipTable> CreateTableAsync(string clusterId) =>
        Task.FromResult<IMembershipTable>(Own(new PostgreSqlMembershipTable(PostgreSqlTestServer.Options(clusterId))));

    protected override Task<(IMembershipTable Table, IStoreOutage Outage)> CreateTableWithOutageAsync(string clusterId)
    {
        var (proxy, options) = PostgreSqlProxy.Create(clusterId);
        var table = Own(new PostgreSqlMembershipTable(options));
        return Task.FromResult<(IMembershipTable, IStoreOutage)>((table, proxy));
    }
}
