using AviOrleans.Persistence.Leases;
using AviOrleans.Persistence.Tests.Contract;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.PostgreSql;

/// <summary>The lease contract on PostgreSQL: every client has a pool of its own, as SE hosts and deciders do.</summary>
public sealed class PostgreSqlLeaseStoreTests : LeaseStoreContractTests
{
    private readonly PostgreSqlSchemas _schemas = new();
    private readonly string _schema = PostgreSqlSchemas.NewName();

    protected override Task<ILeaseStore> CreateStoreAsync(string clusterId) =>
        Task.FromResult<ILeaseStore>(Own(new PostgreSqlLeaseStore(_schemas.Options(_schema), clusterId)));

    protected override Task<(ILeaseStore Store, IStoreOutage Outage)> CreateStoreWithOutageAsync(string clusterId)
    {
        var (proxy, options) = _schemas.Proxied(_schema, TimeSpan.FromSeconds(2));
        return Task.FromResult<(ILeaseStore, IStoreOutage)>((Own(new PostgreSqlLeaseStore(options, clusterId)), proxy));
    }

    protected override Task LetStoreTimePassAsync(TimeSpan time) => Task.Delay(time, Ct);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _schemas.DisposeAsync();
    }
}
