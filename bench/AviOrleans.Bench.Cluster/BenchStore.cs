using AviOrleans.Persistence;

namespace AviOrleans.Bench.Cluster;

/// <summary>
/// The store the bench's clusters use, as the silo's own options give it: SQLite (one file per cluster, in a temporary
/// folder removed at the end) or the PostgreSQL server of AVIORLEANS_TEST_POSTGRES (one cluster id per cluster).
/// </summary>
internal sealed class BenchStore : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aviorleans-bench-cluster-").FullName;
    private readonly string? _postgres;

    public BenchStore(string kind)
    {
        Kind = kind;
        if (kind == "postgres")
        {
            _postgres = Environment.GetEnvironmentVariable("AVIORLEANS_TEST_POSTGRES") is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException("the postgres store needs AVIORLEANS_TEST_POSTGRES (an Npgsql connection string)");
        }
        else if (kind != "sqlite")
        {
            throw new ArgumentException($"unknown store '{kind}' (sqlite or postgres)");
        }
    }

    /// <summary>sqlite or postgres.</summary>
    public string Kind { get; }

    /// <summary>The store of cluster <paramref name="clusterId"/>.</summary>
    public StoreOptions For(string clusterId) => _postgres is { } connectionString
        ? new StoreOptions().UsePostgreSql(connectionString)
        : new StoreOptions().UseSqlite(Path.Combine(_root, clusterId));

    /// <summary>The store of cluster <paramref name="clusterId"/> as aviorleans-silo's options.</summary>
    public string[] Arguments(string clusterId) => _postgres is { } connectionString
        ? ["--postgres", connectionString]
        : ["--data-dir", Path.Combine(_root, clusterId)];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
