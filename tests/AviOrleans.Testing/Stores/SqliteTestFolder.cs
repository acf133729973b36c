using AviOrleans.Runtime.AdoNet;
using Microsoft.Data.Sqlite;

namespace AviOrleans.Testing.Stores;

/// <summary>A temporary data folder for one test class's SQLite database file, removed afterwards.</summary>
public sealed class SqliteTestFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("aviorleans-sqlite-").FullName;

    public SqliteStoreOptions Options(string clusterOrServiceId, TimeSpan? commandTimeout = null) => new()
    {
        DataDirectory = Path,
        ClusterId = clusterOrServiceId,
        ServiceId = clusterOrServiceId,
        CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(30),
    };

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
