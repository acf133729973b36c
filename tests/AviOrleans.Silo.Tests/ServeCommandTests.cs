using AviOrleans.Api.V1;
using AviOrleans.Silo.Run;
using Grpc.Core;
using Grpc.Net.Client;

namespace AviOrleans.Silo.Tests;

/// <summary>The gateway side of the silo command: configuration and state files, tokens, bad gateway options.</summary>
public sealed class ServeCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_WithConfig_ServesItsPlacementsUntilStopped()
    {
        var options = With(InProcessSilo.SiloOptions("test-silo"), config: RepositoryFiles.Path("examples/legacy-pair.json"));
        await using var silo = InProcessSilo.Start(options);

        using var channel = GrpcChannel.ForAddress(await silo.GatewayAddressAsync());
        var placement = await new HaService.HaServiceClient(channel).GetVirtualServicePlacementAsync(new() { VirtualServiceRef = "vs1" }, cancellationToken: Ct);
        var code = await silo.StopAsync();

        Assert.Equal(PlacementState.Placed, placement.State);
        Assert.Equal("edge-pair", placement.SeGroupRef);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Run_TokenFile_RequiresTokenAndFollowsTheFile()
    {
        var tokens = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(tokens, ["# role name token", "admin ops s3cret-admin"], Ct);
            var options = InProcessSilo.SiloOptions("test-silo");
            options.Gateway!.TokenFile = tokens;
            await using var silo = InProcessSilo.Start(options);
            using var channel = GrpcChannel.ForAddress(await silo.GatewayAddressAsync());
            var groups = new ServiceEngineGroupService.ServiceEngineGroupServiceClient(channel);

            var refused = await Assert.ThrowsAsync<RpcException>(() => groups.ListServiceEngineGroupsAsync(new(), cancellationToken: Ct).ResponseAsync);
            var list = await groups.ListServiceEngineGroupsAsync(new(), Bearer("s3cret-admin"), cancellationToken: Ct);

            // The file is read again when it changes: a new token works and the one it replaced no longer does.
            await File.WriteAllLinesAsync(tokens, ["reader grafana s3cret-reader"], Ct);
            await UntilAcceptedAsync(() => groups.ListServiceEngineGroupsAsync(new(), Bearer("s3cret-reader"), cancellationToken: Ct).ResponseAsync);
            var revoked = await Assert.ThrowsAsync<RpcException>(() => groups.ListServiceEngineGroupsAsync(new(), Bearer("s3cret-admin"), cancellationToken: Ct).ResponseAsync);

            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            Assert.Equal(0, list.TotalSize);
            Assert.Equal(StatusCode.Unauthenticated, revoked.StatusCode);
            Assert.Contains($"bearer tokens from {tokens}, reloaded on change", silo.Output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(tokens);
        }
    }

    [Theory]
    [InlineData("0.0.0.0:0", null, "without bearer tokens")]
    [InlineData("127.0.0.1:0", "examples/invalid.json", "is invalid")]
    public async Task Run_BadGatewayOptions_ExitsTwoWithReason(string listen, string? config, string reason)
    {
        var options = With(InProcessSilo.SiloOptions("test-silo"), config: config is null ? null : RepositoryFiles.Path(config), listen: listen);
        using var error = new StringWriter();

        var code = await SiloRunner.RunAsync(options, TextWriter.Null, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(2, code);
        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Command_ListenNotAnEndpoint_NamesTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => CommandOptions.Gateway("nonsense", null, null, null));

        Assert.Contains("--listen: \"nonsense\" is not ADDRESS:PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StateFile_KeepsChangesAcrossARestart()
    {
        var directory = Directory.CreateTempSubdirectory("aviorleans-serve-").FullName;
        try
        {
            var state = Path.Combine(directory, "state.json");
            var config = RepositoryFiles.Path("examples/legacy-pair.json");
            await RunOnceAsync(state, config, async channel => await new HaService.HaServiceClient(channel).SwitchoverVirtualServiceAsync(new() { VirtualServiceRef = "vs1" }, cancellationToken: Ct));
            var activeAfterSwitchover = string.Empty;

            var output = await RunOnceAsync(state, config, async channel =>
            {
                var p = await new HaService.HaServiceClient(channel).GetVirtualServicePlacementAsync(new() { VirtualServiceRef = "vs1" }, cancellationToken: Ct);
                activeAfterSwitchover = p.Vip[0].ActiveSeRef;
            });

            Assert.Equal("se-b", activeAfterSwitchover);
            Assert.Contains("is not loaded", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    // The gateway polls the token file: retry, bounded, until the change has been applied.
    private static async Task UntilAcceptedAsync(Func<Task> call)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
            }
        }
    }

    private static async Task<string> RunOnceAsync(string state, string config, Func<GrpcChannel, Task> use)
    {
        await using var silo = InProcessSilo.Start(With(InProcessSilo.SiloOptions("test-silo"), config: config, state: state));
        using (var channel = GrpcChannel.ForAddress(await silo.GatewayAddressAsync()))
        {
            await use(channel);
        }

        Assert.Equal(0, await silo.StopAsync());
        return silo.Output.ToString();
    }

    private static SiloRunOptions With(SiloRunOptions options, string? config = null, string? state = null, string? listen = null) => new()
    {
        Cluster = options.Cluster,
        Silo = options.Silo,
        Gateway = listen is null ? options.Gateway : CommandOptions.Gateway(listen, null, null, null),
        ConfigFile = config,
        StateFile = state,
        LogLevel = options.LogLevel,
    };
}
