using AviOrleans.Gateway;
using Grpc.Net.Client;
using AviOrleans.Silo.Run;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Silo.Tests;

/// <summary><c>aviorleans-silo gateway</c>: the avi.v1 gateway in a process of its own, an Orleans client of the cluster.</summary>
public sealed class GatewayModeTests : IDisposable
{
    private readonly CertificateFiles _files = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gateway_ConnectsThroughTheSiloGateway_HealthFollowsTheConnection()
    {
        var cluster = _files.Create("cluster");
        await using var silo = InProcessSilo.Start(CertificateFiles.WithTls(InProcessSilo.SiloOptions("se-1", gateway: false), cluster));
        await silo.StartedAsync();
        await using var gateway = InProcessSilo.StartGateway(CertificateFiles.WithTls(GatewayOptions(silo), cluster));
        using var channel = GrpcChannel.ForAddress(await gateway.GatewayAddressAsync());
        await using var health = new HealthWatch(channel);

        var onStart = await health.UntilAsync(ServingStatus.Serving);
        var client = (await gateway.StartedAsync()).GetRequiredService<IClusterClient>();
#pragma warning disable xUnit1051 // A grain call: it takes no token (the analyzer sees the Orleans proxy's cancellable overload).
        var hosts = await client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true).WaitAsync(Ct);
#pragma warning restore xUnit1051
        var siloCode = await silo.StopAsync();
        var afterSiloStopped = await health.UntilAsync(ServingStatus.NotServing);
        var code = await gateway.StopAsync();

        Assert.All(onStart[..^1], s => Assert.Equal(ServingStatus.NotServing, s));
        Assert.Equal("se-1", Assert.Single(hosts).SiloName);
        Assert.Equal(0, siloCode);
        Assert.Equal(ServingStatus.NotServing, afterSiloStopped[^1]);
        Assert.Equal(0, code);
        Assert.Contains($"connected to cluster '{silo.Options.Cluster.ClusterId}'", gateway.Output.ToString(), StringComparison.Ordinal);
        Assert.Contains("gateway stopped.", gateway.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_WrongClusterId_ExitsOneNamingTheCause()
    {
        await using var silo = InProcessSilo.Start(InProcessSilo.SiloOptions("se-1", gateway: false));
        await silo.StartedAsync();
        var options = GatewayOptions(silo, connectTimeout: TimeSpan.FromSeconds(2));
        options.Cluster.ClusterId = "another-cluster";
        using var error = new StringWriter();

        var code = await GatewayRunner.RunAsync(options, TextWriter.Null, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("aviorleans-silo: cannot connect to cluster 'another-cluster': ", line, StringComparison.Ordinal);
        Assert.EndsWith($"the store (SQLite {Path.Combine(silo.Options.Cluster.Store.Sqlite.DataDirectory, "aviorleans.db")}) lists no Active silo of cluster 'another-cluster': is --cluster-id the cluster's, and is a silo of it running?", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_StoreWithoutSchema_ExitsOneNamingTheCause()
    {
        // A gateway process only reads the store: before any silo migrated it, there is nothing to read.
        var options = GatewayOptions(null);
        using var error = new StringWriter();

        var code = await GatewayRunner.RunAsync(options, TextWriter.Null, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"aviorleans-silo: cannot connect to cluster '{options.Cluster.ClusterId}': ", line, StringComparison.Ordinal);
        Assert.Contains("holds no AviOrleans schema", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_NoSiloActive_ExitsOneAfterTheConnectTimeout()
    {
        // The silo left: the store has its schema and the silo's Dead row, and no gateway to connect to.
        await using var silo = InProcessSilo.Start(InProcessSilo.SiloOptions("se-1", gateway: false));
        await silo.StartedAsync();
        Assert.Equal(0, await silo.StopAsync());
        var options = GatewayOptions(silo, connectTimeout: TimeSpan.FromSeconds(2));
        using var error = new StringWriter();

        var code = await GatewayRunner.RunAsync(options, TextWriter.Null, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"aviorleans-silo: cannot connect to cluster '{options.Cluster.ClusterId}': ", line, StringComparison.Ordinal);
        Assert.Contains($"lists no Active silo of cluster '{options.Cluster.ClusterId}'", line, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    private static SiloRunOptions GatewayOptions(InProcessSilo? silo, TimeSpan? connectTimeout = null)
    {
        var options = new SiloRunOptions
        {
            Gateway = new GatewayOptions { Port = 0 },
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(30),
            LogLevel = Microsoft.Extensions.Logging.LogLevel.None,
        };
        if (silo is not null)
        {
            // The silo's cluster and store: the gateway finds the silos' Orleans gateways in its membership table.
            options.Cluster.ClusterId = silo.Options.Cluster.ClusterId;
            silo.Options.Cluster.Store.CopyTo(options.Cluster.Store);
        }
        else
        {
            options.Cluster.ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
            options.Cluster.Store.UseSqlite(TestData.Folder(options.Cluster.ClusterId));
        }

        return options;
    }
}
