using AviOrleans.Persistence.Tests.Contract;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.Sqlite;

/// <summary>The reminder-table contract on SQLite.</summary>
public sealed class SqliteReminderTableTests : ReminderTableContractTests
{
    private readonly SqliteFolder _folder = new();

    protected override OrleansServices CreateSilo(string serviceId) =>
        OrleansServices.Silo(serviceId, silo => silo.UseSqliteReminderService(o => o.DataDirectory = _folder.Path));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
