using Grpc.Net.Client;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Silo.Hosting;
using AviOrleans.Silo.Run;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Silo.Tests;

public sealed class SiloRunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_StartAndStop_HealthFollowsOrleansMembership()
    {
        await using var silo = InProcessSilo.Start(InProcessSilo.SiloOptions("test-silo"));
        using var channel = GrpcChannel.ForAddress(await silo.GatewayAddressAsync());
        await using var overall = new HealthWatch(channel);
        await using var service = new HealthWatch(channel, "avi.v1.HaService");

        var overallOnStart = await overall.UntilAsync(ServingStatus.Serving);
        var serviceOnStart = await service.UntilAsync(ServingStatus.Serving);
        var services = await silo.StartedAsync();
        var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var statusWhileRunning = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(self);
        var code = await silo.StopAsync();
        var overallOnStop = await overall.ToEndAsync();
        var serviceOnStop = await service.ToEndAsync();

        // Created/joining is NotServing (when the watch starts early enough to see it), then Serving once Active.
        Assert.All(overallOnStart[..^1], s => Assert.Equal(ServingStatus.NotServing, s));
        Assert.All(serviceOnStart[..^1], s => Assert.Equal(ServingStatus.NotServing, s));
        Assert.Equal(SiloStatus.Active, statusWhileRunning);
        Assert.Equal(ServingStatus.NotServing, Assert.Single(overallOnStop));
        Assert.Equal(ServingStatus.NotServing, Assert.Single(serviceOnStop));
        Assert.Equal(0, code);
        Assert.Contains($"membership ", silo.Output.ToString(), StringComparison.Ordinal);
        Assert.Contains($" test-silo {self.ToParsableString()} Active", silo.Output.ToString(), StringComparison.Ordinal);
        Assert.Contains("silo test-silo stopped.", silo.Output.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, silo.Error.ToString());
    }

    [Fact]
    public async Task Run_DeclaredDeadByTheCluster_NotServingAndExitsOne()
    {
        await using var survivor = InProcessSilo.Start(InProcessSilo.SiloOptions("se-1", gateway: false));
        var survivorServices = await survivor.StartedAsync();
        await using var victim = InProcessSilo.Start(InProcessSilo.SiloOptions("se-2", survivor));
        using var channel = GrpcChannel.ForAddress(await victim.GatewayAddressAsync());
        await using var health = new HealthWatch(channel);
        await health.UntilAsync(ServingStatus.Serving);
        var victimAddress = (await victim.StartedAsync()).GetRequiredService<ILocalSiloDetails>().SiloAddress;

        // What the other silos do when their probes fail: declare the silo dead in the membership table.
        var killed = await survivorServices.GetRequiredService<IClusterMembershipService>().TryKill(victimAddress);
        var afterDeath = await health.ToEndAsync();
        var code = await victim.Run.WaitAsync(InProcessSilo.Bound, Ct);

        Assert.True(killed);
        Assert.Equal(ServingStatus.NotServing, Assert.Single(afterDeath));
        Assert.Equal(1, code);
        var error = victim.Error.ToString();
        Assert.StartsWith("aviorleans-silo: the silo stopped: declared dead by the cluster", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($" se-2 {victimAddress.ToParsableString()} Dead", survivor.Output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MembershipProfile.Fast, true)]
    [InlineData(MembershipProfile.OrleansDefault, false)]
    public async Task Run_MembershipProfile_DatapathHeartbeatsDeclareDeathOnlyWithFast(MembershipProfile profile, bool declares)
    {
        // Orleans' default profile is for hosts too busy for 200 ms probes: 500 ms of heartbeat silence must not kill there.
        var options = InProcessSilo.SiloOptions("se-1", gateway: false);
        options.Silo.Membership = profile;
        await using var silo = InProcessSilo.Start(options);
        var services = await silo.StartedAsync();

        Assert.Equal(declares, services.GetRequiredService<IOptions<DataPlaneOptions>>().Value.DeclareDeadOnConfirmedSuspicion);
    }

    [Fact]
    public async Task Run_ControllerTimers_ReachTheGroups()
    {
        var options = InProcessSilo.SiloOptions("se-1", gateway: false);
        options = new SiloRunOptions { Cluster = options.Cluster, Silo = options.Silo, LogLevel = options.LogLevel, UnresponsiveSeReboot = 30, DelOfflineSeAfterRebootDelay = 0 };
        await using var silo = InProcessSilo.Start(options);
        var services = await silo.StartedAsync();

        Assert.Equal(TimeSpan.FromSeconds(30), services.GetRequiredService<IOptions<AviOrleans.Grains.AviGrainsOptions>>().Value.ControllerProperties.GetDeadSeRetention());
    }

    [Fact]
    public async Task Run_SecondSiloJoins_BothViewsShowBothActive()
    {
        await using var first = InProcessSilo.Start(InProcessSilo.SiloOptions("se-1", gateway: false));
        var firstServices = await first.StartedAsync();
        await using var second = InProcessSilo.Start(InProcessSilo.SiloOptions("se-2", first, gateway: false));
        var secondServices = await second.StartedAsync();

        var management = firstServices.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
#pragma warning disable xUnit1051 // A grain call: it takes no token (the analyzer sees the Orleans proxy's cancellable overload).
        var hosts = await management.GetHosts(onlyActive: true).WaitAsync(Ct);
#pragma warning restore xUnit1051
        var secondAddress = secondServices.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        await second.StopAsync();
        await Eventually.TrueAsync(() => firstServices.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(secondAddress) == SiloStatus.Dead);

        Assert.Equal(2, hosts.Count);
        Assert.All(hosts.Values, s => Assert.Equal(SiloStatus.Active, s));
        Assert.Contains(" se-2 ", first.Output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("192.0.2.10", null, "--silo-tls-cert and --silo-tls-key are required")]
    [InlineData("0.0.0.0", null, "--advertised-address is required")]
    [InlineData("not-an-address", null, "is not an IP address")]
    [InlineData("127.0.0.1", "", "--cluster-id must not be empty")]
    [InlineData("127.0.0.1", "two words", "contains white space")]
    public async Task Run_BadSiloOptions_ExitsTwoWithOneLine(string address, string? clusterId, string reason)
    {
        var options = InProcessSilo.SiloOptions("test-silo");
        options.Silo.ListenAddress = address;
        options.Cluster.ClusterId = clusterId ?? options.Cluster.ClusterId;
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await SiloRunner.RunAsync(options, output, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(2, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("aviorleans-silo: ", line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public async Task Run_SiloPortInUse_ExitsOneNamingTheCause()
    {
        await using var first = InProcessSilo.Start(InProcessSilo.SiloOptions("se-1", gateway: false));
        await first.StartedAsync();
        var options = InProcessSilo.SiloOptions("se-2", gateway: false);
        options.Silo.SiloPort = first.Options.Silo.SiloPort;
        using var error = new StringWriter();

        var code = await SiloRunner.RunAsync(options, TextWriter.Null, error, cancellationToken: Ct).WaitAsync(InProcessSilo.Bound, Ct);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"aviorleans-silo: --silo-port {options.Silo.SiloPort} is already in use on 127.0.0.1 (another silo on this host?).", line);
    }
}
