using AviOrleans.Runtime.AdoNet.Tests.Contract;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet.Tests.Sqlite;

/// <summary>The membership contract against <see cref="SqliteMembershipTable"/>, on one temporary file for the class.</summary>
public sealed class SqliteMembershipTableTests(SqliteTestFolder folder) : MembershipTableContractTests, IClassFixture<SqliteTestFolder>
{
    protected override Task<IMembershipTable> CreateTableAsync(string clusterId) =>
        Task.FromResult<IMembershipTable>(Own(new SqliteMembershipTable(folder.Options(clusterId))));

    protected override Task<(IMembershipTable Table, IStoreOutage Outage)> CreateTableWithOutageAsync(string clusterId)
    {
        var options = folder.Options(clusterId, TimeSpan.FromSeconds(1));
        var table = Own(new SqliteMembershipTable(options));
        return Task.FromResult<(IMembershipTable, IStoreOutage)>((table, new SqliteExclusiveLock(options.DatabasePath)));
    }
}
