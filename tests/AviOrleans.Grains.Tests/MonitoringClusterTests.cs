using AviOrleans.Domain;
using static AviOrleans.Grains.Tests.Build;

namespace AviOrleans.Grains.Tests;

/// <summary>
/// The SEs' probers in a cluster whose silos are the SEs: gateway echoes from each SE host's own namespace (a cut link
/// is a real loss), and TCP/HTTP health checks of a real server on loopback, with their results seen through the
/// control plane. A cluster per test, started after the namespaces its silos ping from.
/// </summary>
public sealed class MonitoringClusterTests
{
    private readonly Build _b = new();

    [Fact]
    public async Task GatewayMonitor_ActiveLosesTheGateway_SwitchesOver_StandbyLossAndRecoveryMoveNothing()
    {
        await using var lab = await GatewayLab.CreateAsync();
        await using var cluster = await HaTestCluster.StartWithMembershipAsync<GatewayLab.Silo>(3);
        var cp = cluster.ControlPlane;
        var group = _b.N("pair");
        var monitor = new GatewayMonitor { GatewayIp = GatewayLab.Gateway, GatewayMonitorInterval = 100, GatewayMonitorFailThreshold = 3, GatewayMonitorSuccessThreshold = 3 };
        await cp.CreateServiceEngineGroupAsync(_b.Group("pair", HaMode.LegacyActiveStandby) with { MaxSe = 2, BufferSe = 0, GatewayMon = [monitor] }, false, Ct);
        await cp.CreateServiceEngineAsync(new ServiceEngine { Name = GatewayLab.Se1, SeGroupRef = group }, false, Ct);
        await cp.CreateServiceEngineAsync(new ServiceEngine { Name = GatewayLab.Se2, SeGroupRef = group }, false, Ct);
        await cp.CreateVirtualServiceAsync(_b.Vs("web", "pair"), false, Ct);
        async Task<bool?> ReachesAsync(string se) =>
            (await cp.GetGroupPlacementAsync(group, Ct)).ServiceEngines.FirstOrDefault(r => r.SeRef == se)?.GatewayMonitors.SingleOrDefault()?.Reachable;
        async Task<string> PrimaryAsync() => (await cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef!;

        // Both SEs report their monitor (reachable) once they run it.
        await WaitForAsync(async () => await ReachesAsync(GatewayLab.Se1) == true && await ReachesAsync(GatewayLab.Se2) == true ? "" : null);
        var active = await PrimaryAsync();
        var standby = active == GatewayLab.Se1 ? GatewayLab.Se2 : GatewayLab.Se1;

        // Only the standby loses it: reported, nothing moves (AS-45).
        await lab.CutAsync(standby);
        await WaitForAsync(async () => await ReachesAsync(standby) == false ? "" : null);
        var standbyCut = await cp.GetServiceEngineAsync(standby, Ct);
        var primaryWhileStandbyCut = await PrimaryAsync();
        await lab.RestoreAsync(standby);
        await WaitForAsync(async () => await ReachesAsync(standby) == true ? "" : null);

        // The active loses it while the standby reaches it: every virtual service switches over.
        var cutAt = DateTimeOffset.UtcNow;
        await lab.CutAsync(active);
        var switched = await WaitForAsync(async () => await PrimaryAsync() == standby ? standby : null);
        // The history record is written after the placement commits (delivered to the VS grain on its own): wait for it.
        var failover = await WaitForAsync(async () => (await cp.GetPlacementHistoryAsync(_b.N("web"), Ct)).LastOrDefault(r => r.IsFailover));
        var lost = await ReachesAsync(active);

        // It comes back: no failback.
        await lab.RestoreAsync(active);
        await WaitForAsync(async () => await ReachesAsync(active) == true ? "" : null);

        Assert.False(standbyCut.ReachesGateways());
        Assert.Equal(active, primaryWhileStandbyCut);
        Assert.Equal(standby, switched);
        Assert.Equal((active, standby, "VS_SWITCHOVER"), (failover.FromSeRef, failover.ToSeRef, failover.Cause));
        Assert.Contains("cannot reach its gateway", failover.Description, StringComparison.Ordinal);
        Assert.False(lost);
        Assert.Equal(standby, await PrimaryAsync());

        // Three misses 100 ms apart, then the report and one decision: well under a second on an idle machine.
        var detection = failover.DecidedAt - cutAt;
        TestContext.Current.TestOutputHelper?.WriteLine($"gateway cut to switchover decided: {detection.TotalMilliseconds:0} ms");
        Assert.InRange(detection, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task PoolHealth_ActiveAndStandbyCheck_NewPrimarysFirstPassInTimeline_DownWhenTheServerStops()
    {
        await using var cluster = await HaTestCluster.StartWithMembershipAsync(3);
        var cp = cluster.ControlPlane;
        var server = await TinyHttpServer.StartAsync("HTTP/1.1 200 OK");
        var port = server.Endpoint.Port;
        var group = _b.N("pair");
        var web = _b.N("web");
        await cp.CreateServiceEngineGroupAsync(_b.Group("pair", HaMode.LegacyActiveStandby) with { MaxSe = 2, BufferSe = 0 }, false, Ct);
        await cp.CreateServiceEngineAsync(new ServiceEngine { Name = GatewayLab.Se1, SeGroupRef = group }, false, Ct);
        await cp.CreateServiceEngineAsync(new ServiceEngine { Name = GatewayLab.Se2, SeGroupRef = group }, false, Ct);
        HealthMonitor Fast(string name, HealthMonitorType type) =>
            new() { Name = name, Type = type, SendInterval = 2, ReceiveTimeout = 1, SuccessfulChecks = 1, FailedChecks = 1, HttpMonitor = type == HealthMonitorType.Http ? new() : null };
        await cp.CreateVirtualServiceAsync(
            _b.Vs("web", "pair") with
            {
                PoolServers = [new PoolServer { Ip = "127.0.0.1", Port = port }],
                PoolHealthMonitors = [Fast("tcp", HealthMonitorType.Tcp), Fast("http", HealthMonitorType.Http)],
            },
            false,
            Ct);

        // hm_on_standby (default on): both SEs check the server.
        var up = await WaitForAsync(async () =>
            await cp.GetPoolHealthAsync(web, Ct) is { Count: 2 } h && h.All(m => m.State == PoolMemberState.Up) ? h : null);

        // A switchover: the new primary's first passed check completes the failover's timeline.
        await cp.RequestAsync(group, new VsSwitchoverRequest { VsRef = web }, Ct);
        var timeline = await WaitForAsync(async () =>
            (await cp.GetPlacementHistoryAsync(web, Ct)).LastOrDefault(r => r.IsFailover && r.FirstHealthCheckAt is not null));

        // The server stops: down on both, with the reason.
        await server.DisposeAsync();
        var down = await WaitForAsync(async () =>
            await cp.GetPoolHealthAsync(web, Ct) is { Count: 2 } h && h.All(m => m.State == PoolMemberState.Down) ? h : null);

        // hm_on_standby off: only the active SE checks.
        var current = await cp.GetServiceEngineGroupAsync(group, Ct);
        await cp.UpdateServiceEngineGroupAsync(current, current with { HmOnStandby = false }, false, Ct);
        var activeOnly = await WaitForAsync(async () => await cp.GetPoolHealthAsync(web, Ct) is { Count: 1 } h ? h : null);

        Assert.Single(up, m => m.IsStandby);
        Assert.All(up, m => Assert.Equal((port, ""), (m.Port, m.Reason)));
        Assert.True(timeline.FirstHealthCheckAt >= timeline.DecidedAt, $"first check {timeline.FirstHealthCheckAt:O}, decided {timeline.DecidedAt:O}");
        Assert.Equal("VS_SWITCHOVER", timeline.Cause);
        Assert.All(down, m => Assert.Contains("connection refused", m.Reason, StringComparison.Ordinal));
        Assert.All(down, m => Assert.NotNull(m.LastChangedAt));
        Assert.False(Assert.Single(activeOnly).IsStandby);
        Assert.Equal(timeline.ToSeRef, activeOnly[0].SeRef);
    }

    // Probes run on their own intervals (up to 2 s here, plus a random start): poll gently, for longer than most tests.
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
