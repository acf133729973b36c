using AviOrleans.Persistence;
using Npgsql;

namespace AviOrleans.Persistence.Tests.Support;

/// <summary>
/// PostgreSQL schemas of the test server, one per test class (so migrations are really run on an empty schema),
/// dropped afterwards. Fails (CI) or skips (elsewhere) the calling test when no server is given.
/// </summary>
public sealed class PostgreSqlSchemas : IAsyncDisposable
{
    private readonly List<string> _created = [];

    public static string NewName() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Options for a schema of this scope (created on first use by the migration, dropped on dispose).</summary>
    public PostgreSqlStoreOptions Options(string? schema = null, string? connectionString = null, TimeSpan? commandTimeout = null)
    {
        schema ??= NewName();
        lock (_created)
        {
            if (!_created.Contains(schema))
            {
                _created.Add(schema);
            }
        }

        return new PostgreSqlStoreOptions
        {
            ConnectionString = connectionString ?? PostgreSqlTestServer.ConnectionString,
            Schema = schema,
            CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Options that reach the server through a proxy a test can take down.</summary>
    public (TcpProxy Proxy, PostgreSqlStoreOptions Options) Proxied(string schema, TimeSpan commandTimeout)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgreSqlTestServer.ConnectionString);
        var address = System.Net.IPAddress.TryParse(builder.Host, out var ip) ? ip : System.Net.Dns.GetHostAddresses(builder.Host!)[0];
        var proxy = new TcpProxy(new System.Net.IPEndPoint(address, builder.Port));
        builder.Host = "127.0.0.1";
        builder.Port = proxy.Port;
        return (proxy, Options(schema, builder.ToString(), commandTimeout));
    }

    public async ValueTask DisposeAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgreSqlTestServer.Variable)))
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        foreach (var schema in _created)
        {
            await PostgreSqlTestServer.ScalarAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE;", CancellationToken.None);
        }
    }
}
