using AviOrleans.Persistence.Tests.Contract;
using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.Sqlite;

/// <summary>The grain-storage contract on Orleans' ADO.NET provider over SQLite.</summary>
public sealed class SqliteGrainStorageTests : GrainStorageContractTests
{
    private readonly SqliteFolder _folder = new();

    protected override void AddStorage(ISiloBuilder silo) => silo.AddSqliteGrainStorage("ha", o => o.DataDirectory = _folder.Path);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
