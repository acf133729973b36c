using AviOrleans.Api.V1;
using AviOrleans.Grpc;
using AviOrleans.Silo.Run;

namespace AviOrleans.Silo.Tests;

/// <summary>The gateway side of the silo command: configuration and state files, tokens, bad gateway options.</summary>
public sealed class ServeCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_WithConfig_ServesItsPlacementsUntilStopped()
    {
        var options = InProcessSilo.SiloOptions("test-silo");
        options = With(options, config: RepositoryFiles.Path("examples/legacy-pair.json"));
        await using var silo = InProcessSilo.Start(options);

        using var channel = GrpcChannel.ForAddress(await silo.GatewayAddressAsync());
        var placement = await channel.UnaryAsync<GetVirtualServicePlacementRequest, VirtualServicePlacement>(
            "avi.v1.HaService/GetVirtualServicePlacement", new() { VirtualServiceRef = "vs1" }, new CallOptions(CancellationToken: Ct));
        var code = await silo.StopAsync();

        Assert.Equal(PlacementState.Placed, placement.State);
        Assert.Equal("edge-pair", placement.SeGroupRef);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Run_TokenFile_RequiresToken()
    {
        var tokens = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(tokens, ["# role name token", "admin ops s3cret-admin"], Ct);
            var options = InProcessSilo.SiloOptions("test-silo");
            options.Gateway!.Tokens.Add(Assert.Single(AviOrleans.Gateway.TokenFile.Read(tokens)));
            await using var silo = InProcessSilo.Start(options);
            var address = await silo.GatewayAddressAsync();

            using var anonymous = GrpcChannel.ForAddress(address);
            using var admin = GrpcChannel.ForAddress(address, new GrpcChannelOptions { BearerToken = "s3cret-admin" });
            var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.UnaryAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>(
                "avi.v1.ServiceEngineGroupService/ListServiceEngineGroups", new(), new CallOptions(CancellationToken: Ct)));
            var list = await admin.UnaryAsync<ListServiceEngineGroupsRequest, ListServiceEngineGroupsResponse>(
                "avi.v1.ServiceEngineGroupService/ListServiceEngineGroups", new(), new CallOptions(CancellationToken: Ct));

            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            Assert.Equal(0, list.TotalSize);
            Assert.Contains("1 bearer token(s)", silo.Output.ToString(), StringComparison.Ordinal);
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
        var options = InProcessSilo.SiloOptions("test-silo");
        options = With(options, config: config is null ? null : RepositoryFiles.Path(config), listen: listen);
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
            await RunOnceAsync(state, config, async channel => await channel.UnaryAsync<SwitchoverVirtualServiceRequest, HaOperationResponse>(
                "avi.v1.HaService/SwitchoverVirtualService", new() { VirtualServiceRef = "vs1" }, new CallOptions(CancellationToken: Ct)));
            var activeAfterSwitchover = string.Empty;

            var output = await RunOnceAsync(state, config, async channel =>
            {
                var p = await channel.UnaryAsync<GetVirtualServicePlacementRequest, VirtualServicePlacement>(
                    "avi.v1.HaService/GetVirtualServicePlacement", new() { VirtualServiceRef = "vs1" }, new CallOptions(CancellationToken: Ct));
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
