using AviOrleans.Api.V1;
using AviOrleans.Silo.Run;
using Grpc.Core;
using Grpc.Net.Client;

namespace AviOrleans.Silo.Tests;

/// <summary>The gateway side of the silo command: the configuration file and the store, tokens, bad gateway options.</summary>
public sealed class ServeCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_WithConfig_ServesItsPlacementsUntilStopped()
    {
        // The silo is SE se-a of the pair; se-b has no silo, so it is down and nothing stands by.
        var options = With(InProcessSilo.SiloOptions("se-a"), config: RepositoryFiles.Path("examples/legacy-pair.json"));
        await using var silo = InProcessSilo.Start(options);
        await silo.StartedAsync();

        using var channel = GrpcChannel.ForAddress(await silo.GatewayAddressAsync());
        var placement = await PlacementAsync(channel, "vs1", p => p.Vip[0].ActiveSeRef == "se-a");
        var code = await silo.StopAsync();

        Assert.Equal(PlacementState.HaCompromised, placement.State);
        Assert.Equal("edge-pair", placement.SeGroupRef);
        Assert.Equal(string.Empty, placement.Vip[0].StandbySeRef);
        Assert.Contains("examples/legacy-pair.json loaded (6 objects).", silo.Output.ToString(), StringComparison.Ordinal);
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
    public async Task Run_VipInterfaceNotAName_RefusedWithReason()
    {
        var options = With(InProcessSilo.SiloOptions("test-silo"), vipInterface: "eth0/../x");
        using var error = new StringWriter();

        var code = await SiloRunner.RunAsync(options, TextWriter.Null, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(2, code);
        Assert.Contains("is not an interface name", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "--se-version", "2.0" }, "2.0")]
    public void Command_SeVersion_IsWhatTheSeReports(string[] args, string? expected)
    {
        var root = new System.CommandLine.RootCommand();
        var options = CommandOptions.ForSilo(root);

        Assert.Equal(expected, options.Read(root.Parse(args)).SeVersion);
    }

    [Fact]
    public void Command_SeVersionBlank_NamesTheOption()
    {
        var root = new System.CommandLine.RootCommand();
        var options = CommandOptions.ForSilo(root);

        var error = Assert.Throws<ArgumentException>(() => options.Read(root.Parse(["--se-version", " "])));

        Assert.Contains("--se-version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_ControllerTimers_OptionsOverTheFileOverAvisDefaults()
    {
        var root = new System.CommandLine.RootCommand();
        var options = CommandOptions.ForSilo(root);
        var file = new AviOrleans.Domain.ControllerProperties { UnresponsiveSeReboot = 60, DelOfflineSeAfterRebootDelay = 120 };

        var none = options.Read(root.Parse([]));
        var one = options.Read(root.Parse(["--unresponsive-se-reboot", "0"]));

        Assert.Equal(TimeSpan.FromSeconds(600), none.ControllerProperties(null).GetDeadSeRetention());
        Assert.Equal(TimeSpan.FromSeconds(180), none.ControllerProperties(file).GetDeadSeRetention());
        Assert.Equal(TimeSpan.FromSeconds(120), one.ControllerProperties(file).GetDeadSeRetention());
        Assert.Equal(TimeSpan.FromSeconds(300), one.ControllerProperties(null).GetDeadSeRetention());
    }

    [Theory]
    [InlineData("--unresponsive-se-reboot", "-1")]
    [InlineData("--del-offline-se-after-reboot-delay", "86401")]
    public void Command_ControllerTimerOutOfRange_NamesTheOption(string option, string value)
    {
        var root = new System.CommandLine.RootCommand();
        var options = CommandOptions.ForSilo(root);

        var error = Assert.Throws<ArgumentException>(() => options.Read(root.Parse([option, value])));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Contains("between 0 and 86400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_ListenNotAnEndpoint_NamesTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => CommandOptions.Gateway("nonsense", null, null, null));

        Assert.Contains("--listen: \"nonsense\" is not ADDRESS:PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Restart_KeepsChangesInTheStoreAndDoesNotReplayTheFile()
    {
        var options = With(InProcessSilo.SiloOptions("se-a"), config: RepositoryFiles.Path("examples/legacy-pair.json"));
        var first = await RunOnceAsync(options, async channel => await new VirtualServiceService.VirtualServiceServiceClient(channel).CreateVirtualServiceAsync(
            new() { VirtualService = new VirtualService { Name = "web", SeGroupRef = "edge-pair", Vip = { new Vip { VipId = "0", IpAddress = "192.0.2.50" } } } },
            cancellationToken: Ct));
        VirtualServicePlacement? web = null;

        var second = await RunOnceAsync(options, async channel => web = await PlacementAsync(channel, "web", p => p.Vip[0].ActiveSeRef == "se-a"));

        Assert.Contains("loaded (6 objects).", first, StringComparison.Ordinal);
        Assert.Contains("the cluster's store holds a configuration; ", second, StringComparison.Ordinal);
        Assert.DoesNotContain("loaded (", second, StringComparison.Ordinal);
        Assert.Equal(PlacementState.HaCompromised, web!.State);
        Assert.Equal("192.0.2.50", web.Vip[0].IpAddress);
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

    private static Task<VirtualServicePlacement> PlacementAsync(GrpcChannel channel, string vs, Func<VirtualServicePlacement, bool> done) =>
        Eventually.ValueAsync(
            () => new HaService.HaServiceClient(channel).GetVirtualServicePlacementAsync(new() { VirtualServiceRef = vs }, cancellationToken: Ct).ResponseAsync,
            p => p.Vip.Count > 0 && done(p),
            _ => false,
            $"the placement of {vs}");

    private static async Task<string> RunOnceAsync(SiloRunOptions options, Func<GrpcChannel, Task> use)
    {
        await using var silo = InProcessSilo.Start(options);
        await silo.StartedAsync();
        using (var channel = GrpcChannel.ForAddress(await silo.GatewayAddressAsync()))
        {
            await use(channel);
        }

        Assert.Equal(0, await silo.StopAsync());
        return silo.Output.ToString();
    }

    private static SiloRunOptions With(SiloRunOptions options, string? config = null, string? listen = null, string? vipInterface = null) => new()
    {
        Cluster = options.Cluster,
        Silo = options.Silo,
        Gateway = listen is null ? options.Gateway : CommandOptions.Gateway(listen, null, null, null),
        VipInterface = vipInterface,
        ConfigFile = config,
        LogLevel = options.LogLevel,
    };
}
