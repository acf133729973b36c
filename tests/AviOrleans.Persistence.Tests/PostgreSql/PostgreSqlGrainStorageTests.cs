using AviOrleans.Persistence.Tests.Contract;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.PostgreSql;

/// <summary>The grain-storage contract on Orleans' ADO.NET provider over PostgreSQL.</summary>
public sealed class PostgreSqlGrainStorageTests : GrainStorageContractTests
{
    private readonly PostgreSqlSchemas _schemas = new();

    protected override void AddStorage(ISiloBuilder silo)
    {
        var options = _schemas.Options();
        silo.AddPostgreSqlGrainStorage("ha", o => PostgreSqlMembershipTableTests.Copy(options, o));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _schemas.DisposeAsync();
    }
}
