using Microsoft.Data.Sqlite;

[assembly: AssemblyFixture(typeof(AviOrleans.Silo.Tests.TestData))]

namespace AviOrleans.Silo.Tests;

/// <summary>
/// The data folders of this test run (each cluster's SQLite store), under one temporary folder removed when the
/// assembly's tests are done.
/// </summary>
public sealed class TestData : IDisposable
{
    private static readonly Lazy<string> Root = new(() => Directory.CreateTempSubdirectory("aviorleans-silo-tests-").FullName);

    /// <summary>A folder of its own for <paramref name="name"/> (created when missing).</summary>
    public static string Folder(string name) => Directory.CreateDirectory(Path.Combine(Root.Value, name)).FullName;

    public void Dispose()
    {
        if (Root.IsValueCreated)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Root.Value, recursive: true);
        }
    }
}
