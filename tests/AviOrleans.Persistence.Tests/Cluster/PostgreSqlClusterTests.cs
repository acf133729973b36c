using AviOrleans.Persistence.Tests.PostgreSql;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.Cluster;

/// <summary>A cluster on PostgreSQL, in a schema the first silo migrates.</summary>
public sealed class PostgreSqlClusterTests : StoreClusterTests
{
    private readonly PostgreSqlSchemas _schemas = new();
    private readonly string _schema = PostgreSqlSchemas.NewName();

    protected override StoreOptions Store()
    {
        var options = new StoreOptions { Kind = StoreKind.PostgreSql };
        PostgreSqlMembershipTableTests.Copy(_schemas.Options(_schema), options.PostgreSql);
        return options;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _schemas.DisposeAsync();
    }
}
