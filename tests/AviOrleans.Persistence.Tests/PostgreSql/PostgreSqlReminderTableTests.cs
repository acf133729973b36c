using AviOrleans.Persistence.Tests.Contract;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.PostgreSql;

/// <summary>The reminder-table contract on PostgreSQL.</summary>
public sealed class PostgreSqlReminderTableTests : ReminderTableContractTests
{
    private readonly PostgreSqlSchemas _schemas = new();
    private readonly string _schema = PostgreSqlSchemas.NewName();

    protected override OrleansServices CreateSilo(string serviceId)
    {
        var options = _schemas.Options(_schema);
        return OrleansServices.Silo(serviceId, silo => silo.UsePostgreSqlReminderService(o => PostgreSqlMembershipTableTests.Copy(options, o)));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _schemas.DisposeAsync();
    }
}
