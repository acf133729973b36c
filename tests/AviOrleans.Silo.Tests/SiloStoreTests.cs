using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using AviOrleans.Silo.Run;

namespace AviOrleans.Silo.Tests;

/// <summary>The silo's store from the command line (<c>--data-dir</c>, <c>--postgres</c>, <c>--schema</c>), and a store that fails at start.</summary>
public sealed class SiloStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(new[] { "--data-dir", "/tmp/x", "--postgres", "Host=127.0.0.1" }, "--data-dir and --postgres: give one store, not both.")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1;Nonsense=1" }, "store (--postgres, --schema): Invalid StoreOptions: PostgreSql.ConnectionString is not a valid Npgsql connection string")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1", "--schema", "Bad-Schema" }, "PostgreSql.Schema must be a plain lower-case identifier")]
    [InlineData(new[] { "--data-dir", "" }, "store (--data-dir): Invalid StoreOptions: Sqlite.DataDirectory must name a folder.")]
    public async Task Command_BadStoreOptions_ExitsTwoWithOneLine(string[] store, string reason)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = ["--no-gateway", "--silo-port", "0", "--gateway-port", "0", .. store];

        var code = await SiloCommands.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(2, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("aviorleans-silo: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public async Task Run_DataDirIsAFile_ExitsOneNamingTheFolder()
    {
        var file = Path.Combine(TestData.Folder("not-a-folder-" + Guid.NewGuid().ToString("N")[..8]), "file");
        await File.WriteAllTextAsync(file, "not a folder", Ct);
        var options = InProcessSilo.SiloOptions("se-1", gateway: false);
        options.Cluster.Store.UseSqlite(file);
        using var error = new StringWriter();

        var code = await SiloRunner.RunAsync(options, TextWriter.Null, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"aviorleans-silo: the silo could not join cluster '{options.Cluster.ClusterId}': The SQLite store ", line, StringComparison.Ordinal);
        Assert.Contains($"the data folder '{file}' is not a writable folder", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PostgreSqlPortClosed_ExitsOneNamingTheServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = InProcessSilo.SiloOptions("se-1", gateway: false);
        options.Cluster.Store.UsePostgreSql($"Host=127.0.0.1;Port={port};Username=postgres;Password=s3cret;Timeout=3");
        using var error = new StringWriter();

        var code = await SiloRunner.RunAsync(options, TextWriter.Null, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"aviorleans-silo: the silo could not join cluster '{options.Cluster.ClusterId}': The PostgreSQL store 127.0.0.1:{port}/postgres (schema public) is unavailable", line, StringComparison.Ordinal);
        Assert.Contains("Connection refused", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal);
    }
}
