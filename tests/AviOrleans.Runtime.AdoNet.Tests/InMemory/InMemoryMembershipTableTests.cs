using AviOrleans.Runtime.AdoNet.Tests.Contract;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Membership;

namespace AviOrleans.Runtime.AdoNet.Tests.InMemory;

/// <summary>The membership contract against <see cref="InMemoryMembershipTable"/>: one instance is one cluster's table.</summary>
public sealed class InMemoryMembershipTableTests : MembershipTableContractTests
{
    private readonly Dictionary<string, InMemoryMembershipTable> _tables = [];

    protected override Task<IMembershipTable> CreateTableAsync(string clusterId)
    {
        lock (_tables)
        {
            if (!_tables.TryGetValue(clusterId, out var table))
            {
                _tables[clusterId] = table = new InMemoryMembershipTable();
            }

            return Task.FromResult<IMembershipTable>(table);
        }
    }

    protected override async Task<(IMembershipTable Table, IStoreOutage Outage)> CreateTableWithOutageAsync(string clusterId)
    {
        var table = (InMemoryMembershipTable)await CreateTableAsync(clusterId);
        return (table, new DelegateOutage(
            () => { table.IsAvailable = false; return Task.CompletedTask; },
            () => { table.IsAvailable = true; return Task.CompletedTask; }));
    }
}
