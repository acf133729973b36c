using Npgsql;
using Xunit;

namespace AviOrleans.Testing.Stores;

/// <summary>
/// The PostgreSQL server the tests use: the Npgsql connection string in AVIORLEANS_TEST_POSTGRES, which
/// scripts/test.sh exports after starting a private server. Without it a test fails where CI=true (a green CI
/// run must mean PostgreSQL really ran) and is skipped elsewhere.
/// </summary>
public static class PostgreSqlTestServer
{
    public const string Variable = "AVIORLEANS_TEST_POSTGRES";

    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The connection string; fails (CI) or skips (elsewhere) the calling test when it is not set.</summary>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value;
            }

            if (IsCi)
            {
                Assert.Fail($"{Variable} is not set but CI=true: the PostgreSQL store tests must run against a real server in CI. " +
                    "Run them through `bash scripts/test.sh`, which starts PostgreSQL and exports it.");
            }

            Assert.Skip($"{Variable} is not set (bash scripts/test.sh starts a PostgreSQL and sets it); skipped because CI is not set.");
            return null!;
        }
    }

    /// <summary>The connection string with an application name, so a test can find its own server sessions.</summary>
    public static string WithApplicationName(string applicationName) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = applicationName }.ToString();

    /// <summary>Runs one statement on a connection of its own (the "other connection" of a test).</summary>
    public static async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
