using AviOrleans.Persistence;

namespace AviOrleans.Bench.Cluster;

/// <summary>
/// The store the bench's clusters use, as the silo's own options give it: SQLite (one file per cluster, in a temporary
/// folder removed at the end) or the PostgreSQL server of AVIORLEANS_TEST_POSTGRES (one schema per cluster, dropped at the
/// end: grain state is keyed by the service id, not the cluster id, so clusters sharing a schema would share it).
/// </summary>
internal sealed class BenchStore : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aviorleans-bench-cluster-").FullName;
    private readonly string? _postgres;
    private readonly HashSet<string> _schemas = [];

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

    /// <summary>With postgres: each silo's Npgsql pool at most this many connections (null: Npgsql's 100). Many silos on one
    /// server must share its max_connections (100 by default).</summary>
    public int? MaxPoolSize { get; set; }

    /// <summary>sqlite or postgres.</summary>
    public string Kind { get; }

    /// <summary>The store of cluster <paramref name="clusterId"/>.</summary>
    public StoreOptions For(string clusterId)
    {
        if (_postgres is not { } connectionString)
        {
            return new StoreOptions().UseSqlite(Path.Combine(_root, clusterId));
        }

        var store = new StoreOptions().UsePostgreSql(connectionString);
        store.PostgreSql.Schema = SchemaOf(clusterId);
        return store;
    }

    /// <summary>The store of cluster <paramref name="clusterId"/> as aviorleans-silo's options.</summary>
    public string[] Arguments(string clusterId) => _postgres is { } connectionString
        ? ["--postgres", MaxPoolSize is { } size ? $"{connectionString};Maximum Pool Size={size}" : connectionString, "--schema", SchemaOf(clusterId)]
        : ["--data-dir", Path.Combine(_root, clusterId)];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        if (_postgres is { } connectionString && _schemas.Count > 0)
        {
            using var connection = new Npgsql.NpgsqlConnection(connectionString);
            connection.Open();
            foreach (var schema in _schemas)
            {
                using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
                drop.ExecuteNonQuery();
            }
        }
    }

    private string SchemaOf(string clusterId)
    {
        var schema = "bench_" + clusterId.Replace('-', '_');
        lock (_schemas)
        {
            _schemas.Add(schema);
        }

        return schema;
    }
}
