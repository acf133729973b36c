using AviOrleans.Runtime.AdoNet.Tests.Contract;
using AviOrleans.Runtime.AdoNet.Tests.Support;
using AviOrleans.Runtime.Storage;

namespace AviOrleans.Runtime.AdoNet.Tests.Sqlite;

/// <summary>The grain state contract against <see cref="SqliteGrainStateStore"/>, on one temporary file for the class.</summary>
public sealed class SqliteGrainStateStoreTests(SqliteTestFolder folder) : GrainStateStoreContractTests, IClassFixture<SqliteTestFolder>
{
    protected override Task<IGrainStateStore> CreateStoreAsync(string serviceId) =>
        Task.FromResult<IGrainStateStore>(Own(new SqliteGrainStateStore(folder.Options(serviceId))));

    protected override Task<(IGrainStateStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string serviceId)
    {
        var options = folder.Options(serviceId, TimeSpan.FromSeconds(1));
        var store = Own(new SqliteGrainStateStore(options));
        return Task.FromResult<(IGrainStateStore, IStoreOutage)>((store, new SqliteExclusiveLock(options.DatabasePath)));
    }
}
