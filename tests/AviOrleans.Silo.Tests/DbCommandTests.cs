using System.Net;
using System.Net.Sockets;
using AviOrleans.Silo.Database;

namespace AviOrleans.Silo.Tests;

/// <summary><c>aviorleans-silo db migrate|check</c>: one line per outcome, exit code 0 done, 1 the store failed, 2 bad arguments.</summary>
public sealed class DbCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aviorleans-db-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string? postgres, string? dataDir, bool migrate)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await DbCommand.RunAsync(postgres, "public", dataDir, migrate, output, error, Ct);
        return (code, output.ToString().Trim(), error.ToString().Trim());
    }

    [Fact]
    public async Task Sqlite_CheckBeforeMigrateThenMigrateTwiceThenCheck_ReportsEachStep()
    {
        var data = Path.Combine(_folder, "data");

        var before = await RunAsync(null, data, migrate: false);
        var first = await RunAsync(null, data, migrate: true);
        var second = await RunAsync(null, data, migrate: true);
        var after = await RunAsync(null, data, migrate: false);

        Assert.Equal(1, before.Code);
        Assert.Contains("holds no AviOrleans schema", before.Error, StringComparison.Ordinal);
        Assert.Equal((0, ""), (first.Code, first.Error));
        Assert.EndsWith("schema migrated from version 0 to 1", first.Output, StringComparison.Ordinal);
        Assert.EndsWith("schema is current (version 1)", second.Output, StringComparison.Ordinal);
        Assert.Equal((0, second.Output), (after.Code, after.Output));
    }

    [Fact]
    public async Task PostgreSql_ClosedPort_FailsWithOneLineNamingTheCause()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, output, error) = await RunAsync($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=5", null, migrate: true);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Single(error.Split('\n'));
        Assert.Contains("Connection refused", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("Host=h", "data")]
    [InlineData("Host=h;Port=notaport", null)]
    public async Task Arguments_Invalid_ExitTwoAndTouchNothing(string? postgres, string? dataDir)
    {
        var (code, output, error) = await RunAsync(postgres, dataDir is null ? null : Path.Combine(_folder, dataDir), migrate: true);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.NotEmpty(error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }
}
