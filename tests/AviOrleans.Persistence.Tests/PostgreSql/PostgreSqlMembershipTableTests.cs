using AviOrleans.Persistence.Tests.Contract;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.PostgreSql;

/// <summary>The membership-table contract on PostgreSQL, in a schema of its own that the first silo migrates.</summary>
public sealed class PostgreSqlMembershipTableTests : MembershipTableContractTests
{
    private readonly PostgreSqlSchemas _schemas = new();
    private readonly string _schema = PostgreSqlSchemas.NewName();

    protected override OrleansServices CreateSilo(string clusterId)
    {
        var options = _schemas.Options(_schema);
        return OrleansServices.Silo(clusterId, silo => silo.UsePostgreSqlClustering(o => Copy(options, o)));
    }

    protected override OrleansServices CreateClient(string clusterId)
    {
        var options = _schemas.Options(_schema);
        return OrleansServices.Client(clusterId, client => client.UsePostgreSqlClustering(o => Copy(options, o)));
    }

    protected override Task<(OrleansServices Silo, IStoreOutage Outage)> CreateSiloWithOutageAsync(string clusterId)
    {
        var (proxy, options) = _schemas.Proxied(_schema, TimeSpan.FromSeconds(2));
        var silo = OrleansServices.Silo(clusterId, silo => silo.UsePostgreSqlClustering(o => Copy(options, o)));
        return Task.FromResult<(OrleansServices, IStoreOutage)>((silo, proxy));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _schemas.DisposeAsync();
    }

    internal static void Copy(PostgreSqlStoreOptions from, PostgreSqlStoreOptions to)
    {
        to.ConnectionString = from.ConnectionString;
        to.Schema = from.Schema;
        to.CommandTimeout = from.CommandTimeout;
        to.MigrateOnStart = from.MigrateOnStart;
    }
}
