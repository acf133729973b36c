using AviOrleans.Persistence.Leases;
using AviOrleans.Persistence.Tests.Contract;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.Sqlite;

/// <summary>The lease contract on SQLite: every client opens the one file with a pool of its own, as processes on a host do.</summary>
public sealed class SqliteLeaseStoreTests : LeaseStoreContractTests
{
    private readonly SqliteFolder _folder = new();

    protected override Task<ILeaseStore> CreateStoreAsync(string clusterId) =>
        Task.FromResult<ILeaseStore>(Own(new SqliteLeaseStore(_folder.Options(), clusterId)));

    protected override Task<(ILeaseStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string clusterId)
    {
        var options = _folder.Options("outage.db", TimeSpan.FromSeconds(1));
        return Task.FromResult<(ILeaseStore, IStoreOutage)>((Own(new SqliteLeaseStore(options, clusterId)), new SqliteExclusiveLock(options.DatabasePath)));
    }

    protected override Task LetStoreTimePassAsync(TimeSpan time) => Task.Delay(time, Ct);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
