using AviOrleans.Persistence;
using Microsoft.Data.Sqlite;

namespace AviOrleans.Persistence.Tests.Support;

/// <summary>A temporary data folder for one test class's SQLite files, removed afterwards.</summary>
public sealed class SqliteFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("aviorleans-persistence-").FullName;

    public SqliteStoreOptions Options(string fileName = "aviorleans.db", TimeSpan? commandTimeout = null) => new()
    {
        DataDirectory = Path,
        FileName = fileName,
        CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(30),
    };

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}
