using System.Text.Json;
using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

public sealed class SerializationTests
{
    [Fact]
    public void GroupPlacement_JsonRoundTrip_IsEqualAndFeedsTheEngineUnchanged()
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby, g => g with { DistributeLoadActiveStandby = true, FloatingIntfIp = ["192.0.2.254"] }).WithSes(2).WithVss(3);
        s.Run();

        var json = JsonSerializer.Serialize(s.Placement);
        var back = JsonSerializer.Deserialize<GroupPlacement>(json)!;

        Assert.Equal(s.Placement, back);
        var again = PlacementEngine.Compute(s.Input() with { Previous = back });
        Assert.False(again.Changed);
    }

    [Fact]
    public void GroupPlacement_WithNeedsADeadSeAndGatewayMonitors_JsonRoundTripIsEqualAndFeedsTheEngineUnchanged()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { Algo = PlacementAlgo.Distributed, MaxSe = 4, MaxVsPerSe = 2 }).WithSes(3).WithVss(4);
        s.SetSe("se-1", se => se with { GatewayMonitors = [new GatewayMonitorStatus { GatewayIp = "198.18.0.1", Reachable = false }] });
        s.Run();
        s.Fail("se-3");
        s.Run();
        Assert.NotEmpty(s.Requirement.Needs);
        Assert.NotNull(s.Runtime("se-3").DownSince);

        var back = JsonSerializer.Deserialize<GroupPlacement>(JsonSerializer.Serialize(s.Placement))!;

        Assert.Equal(s.Placement, back);
        Assert.False(PlacementEngine.Compute(s.Input() with { Previous = back }).Changed);
    }

    [Fact]
    public void HaConfiguration_JsonRoundTrip_IsEqual()
    {
        var config = new HaConfiguration
        {
            ServiceEngineGroups = [new ServiceEngineGroup { Name = "g", FloatingIntfIpSe2 = ["192.0.2.253"] }],
            ServiceEngines = [new ServiceEngine { Name = "se", SeGroupRef = "g", GatewayMonitors = [new GatewayMonitorStatus { GatewayIp = "198.18.0.1" }] }],
            VirtualServices = [new VirtualService { Name = "v", SeGroupRef = "g", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.1" }], SnatIp = ["198.51.100.1"] }],
            ControllerProperties = new ControllerProperties { UnresponsiveSeReboot = 30, DelOfflineSeAfterRebootDelay = 0 },
        };

        var back = JsonSerializer.Deserialize<HaConfiguration>(JsonSerializer.Serialize(config));

        Assert.Equal(config, back);
    }
}
