using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

/// <summary>
/// Gateway monitors (D-GWMON, AS-45): each SE's state per monitored gateway, Avi's events when one flips, and the legacy
/// switchover when the active SE loses any of its gateways while the standby reaches all of them.
/// </summary>
public sealed class GatewayMonitorTests
{
    private const string RouterA = "198.18.0.1";
    private const string RouterB = "198.18.0.254";

    private static GroupScenario Legacy()
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby, g => g with { FloatingIntfIp = ["192.0.2.254"] }).WithSes(2).WithVss(3);
        foreach (var se in new[] { "se-1", "se-2" })
        {
            Monitors(s, se, (RouterA, true), (RouterB, true));
        }

        s.Run();
        Assert.All(s.Vss, v => Assert.Equal("se-1", s.Primary(v.Name)));
        return s;
    }

    private static void Monitors(GroupScenario s, string se, params (string Ip, bool Reachable)[] monitors) =>
        s.SetSe(se, x => x with { GatewayMonitors = [.. monitors.Select(m => new GatewayMonitorStatus { GatewayIp = m.Ip, Reachable = m.Reachable })] });

    [Fact]
    public void GatewayMonitors_StateIsKeptPerMonitorAndEachFlipIsOneAviEvent()
    {
        var s = Legacy();
        var before = s.Placement!;

        Monitors(s, "se-2", (RouterB, true), (RouterA, false));
        var lost = s.Run();

        var standby = s.Runtime("se-2");
        Assert.False(standby.GatewayReachable);
        Assert.Equal([new GatewayMonitorStatus { GatewayIp = RouterA, Reachable = false }, new GatewayMonitorStatus { GatewayIp = RouterB }], standby.GatewayMonitors);
        var e = Assert.Single(lost.Events);
        Assert.Equal((HaEventType.SeGatewayHeartbeatFailed, "se-2"), (e.Type, e.SeRef));
        Assert.Equal("SE_GATEWAY_HEARTBEAT_FAILED", e.Type.ToAviName());
        Assert.Contains($"cannot reach gateway {RouterA}", e.Description, StringComparison.Ordinal);
        Assert.Equal(before.VirtualServices, s.Placement!.VirtualServices);

        Monitors(s, "se-2", (RouterA, true), (RouterB, true));
        var back = s.Run();

        Assert.True(s.Runtime("se-2").GatewayReachable);
        var success = Assert.Single(back.Events);
        Assert.Equal("SE_GATEWAY_HEARTBEAT_SUCCESS", success.Type.ToAviName());
        Assert.Contains($"reaches gateway {RouterA} again", success.Description, StringComparison.Ordinal);
        Assert.Empty(s.Run().Events);
    }

    [Fact]
    public void AS45_ActiveLosesOneOfSeveralGateways_EveryVsSwitchesToTheStandbyThatReachesAll()
    {
        var s = Legacy();

        Monitors(s, "se-1", (RouterA, true), (RouterB, false));
        var result = s.Run();

        Assert.All(s.Vss, v => Assert.Equal("se-2", s.Primary(v.Name)));
        Assert.Equal("se-2", s.Owners()["192.0.2.254"]);
        Assert.Contains(result.Events, e => e.Type == HaEventType.SeGatewayHeartbeatFailed && e.SeRef == "se-1");
        Assert.Equal(3, result.Events.Count(e => e.Type == HaEventType.VsSwitchover));
        Assert.Equal(OperState.Up, s.Runtime("se-1").OperState);
    }

    [Fact]
    public void AS45_ActiveAndStandbyEachLoseAGateway_NothingMoves()
    {
        var s = Legacy();
        var before = s.Placement!;

        Monitors(s, "se-1", (RouterA, false), (RouterB, true));
        Monitors(s, "se-2", (RouterA, true), (RouterB, false));
        var result = s.Run();

        Assert.Equal(before.VirtualServices, s.Placement!.VirtualServices);
        Assert.Equal(2, result.Events.Count(e => e.Type == HaEventType.SeGatewayHeartbeatFailed));
        Assert.DoesNotContain(result.Events, e => e.Type == HaEventType.VsSwitchover);
    }

    [Fact]
    public void GatewayMonitors_OfADeadSe_RaiseNoEvent()
    {
        var s = Legacy();
        s.Fail("se-2");
        s.Run();

        Monitors(s, "se-2", (RouterA, false), (RouterB, false));
        var result = s.Run();

        Assert.DoesNotContain(result.Events, e => e.Type is HaEventType.SeGatewayHeartbeatFailed or HaEventType.SeGatewayHeartbeatSuccess);
        Assert.False(s.Runtime("se-2").GatewayReachable);
    }

    [Fact]
    public void GatewayMonitors_InAnElasticGroup_AreReportedAndMoveNothing()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(2).WithVss(2);
        s.Run();
        var before = s.Placement!;
        var host = s.Primary("vs-01")!;

        Monitors(s, host, (RouterA, false));
        var result = s.Run();

        // Avi acts on gateway monitors in legacy HA only (D-GWMON); elastic groups record the state and its events.
        Assert.Equal(before.VirtualServices, s.Placement!.VirtualServices);
        Assert.Equal(HaEventType.SeGatewayHeartbeatFailed, Assert.Single(result.Events).Type);
        Assert.False(s.Runtime(host).GatewayReachable);
    }
}
