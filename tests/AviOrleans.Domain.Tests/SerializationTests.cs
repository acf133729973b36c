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
    public void HaConfiguration_JsonRoundTrip_IsEqual()
    {
        var config = new HaConfiguration
        {
            ServiceEngineGroups = [new ServiceEngineGroup { Name = "g", FloatingIntfIpSe2 = ["192.0.2.253"] }],
            VirtualServices = [new VirtualService { Name = "v", SeGroupRef = "g", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.1" }], SnatIp = ["198.51.100.1"] }],
        };

        var back = JsonSerializer.Deserialize<HaConfiguration>(JsonSerializer.Serialize(config));

        Assert.Equal(config, back);
    }
}
