using AviOrleans.Persistence.Tests.Support;

namespace AviOrleans.Persistence.Tests.Cluster;

/// <summary>A cluster on the embedded default: every silo of the host shares one SQLite file.</summary>
public sealed class SqliteClusterTests : StoreClusterTests
{
    private readonly SqliteFolder _folder = new();

    protected override StoreOptions Store() => new StoreOptions().UseSqlite(_folder.Path);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
