using AviOrleans.Persistence.Tests.Contract;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.Sqlite;

/// <summary>The membership-table contract on SQLite: every silo view opens the one file, as silo processes on a host do.</summary>
public sealed class SqliteMembershipTableTests : MembershipTableContractTests
{
    private readonly SqliteFolder _folder = new();

    protected override OrleansServices CreateSilo(string clusterId) =>
        OrleansServices.Silo(clusterId, silo => silo.UseSqliteClustering(o => o.DataDirectory = _folder.Path));

    protected override OrleansServices CreateClient(string clusterId) =>
        OrleansServices.Client(clusterId, client => client.UseSqliteClustering(o => o.DataDirectory = _folder.Path));

    protected override Task<(OrleansServices Silo, IStoreOutage Outage)> CreateSiloWithOutageAsync(string clusterId)
    {
        var silo = OrleansServices.Silo(clusterId, silo => silo.UseSqliteClustering(o =>
        {
            o.DataDirectory = _folder.Path;
            o.CommandTimeout = TimeSpan.FromSeconds(2);
        }));
        return Task.FromResult<(OrleansServices, IStoreOutage)>((silo, new SqliteExclusiveLock(Path.Combine(_folder.Path, "aviorleans.db"))));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
