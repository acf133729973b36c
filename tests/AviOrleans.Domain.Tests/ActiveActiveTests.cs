using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

public sealed class ActiveActiveTests
{
    [Fact]
    public void AS21_NewVs_IsPlacedOnTwoSesOnDifferentHostsOnePrimary()
    {
        var s = GroupScenario.Create(HaMode.SharedPair).WithSes(3, i => $"host-{i}").WithVss(1);

        s.Run();

        var list = s.Vs("vs-01").SeList;
        Assert.Equal(2, list.Count);
        Assert.Single(list, e => e.IsPrimary);
        Assert.Equal(2, list.Select(e => e.SeRef).Distinct().Count());
        Assert.False(s.Vs("vs-01").HaCompromised);
    }

    [Fact]
    public void AS22_DistributedSeFails_AffectedVssWaitForAReplacementAndGoThere()
    {
        var s = GroupScenario.Create(HaMode.SharedPair, g => g with { Algo = PlacementAlgo.Distributed, MaxVsPerSe = 3 }).WithSes(6).WithVss(9);
        s.Run();
        var affected = s.Vss.Select(v => v.Name).Where(v => s.SesOf(v).Contains("se-3")).ToList();
        Assert.NotEmpty(affected);
        var others = s.Vss.Select(v => v.Name).Except(affected).ToDictionary(v => v, v => s.Vs(v).SeList);

        s.Fail("se-3");
        var failed = s.Run();

        Assert.All(affected, v => Assert.Single(s.SesOf(v)));
        Assert.All(affected, v => Assert.True(s.Vs(v).HaCompromised));
        Assert.Contains(failed.Events, e => e.Type == HaEventType.VsScaleoutDoneAwaitingMoreSe);

        s.AddSe("se-7");
        s.Run();

        Assert.All(affected, v => Assert.Contains("se-7", s.SesOf(v)));
        Assert.All(affected, v => Assert.Equal(2, s.SesOf(v).Count));
        Assert.All(others, kv => Assert.Equal(kv.Value, s.Vs(kv.Key).SeList));
    }

    [Fact]
    public void AS23_PackedSeFails_MissingPlacementsGoToExistingSesAtOnce()
    {
        var s = GroupScenario.Create(HaMode.SharedPair, g => g with { MaxVsPerSe = 4 }).WithSes(4).WithVss(4);
        s.Run();
        var affected = s.Vss.Select(v => v.Name).Where(v => s.SesOf(v).Contains("se-1")).ToList();

        s.Fail("se-1");
        s.Run();

        Assert.All(affected, v => Assert.Equal(2, s.SesOf(v).Count));
        Assert.All(affected, v => Assert.DoesNotContain("se-1", s.SesOf(v)));
        Assert.All(affected, v => Assert.False(s.Vs(v).HaCompromised));
    }

    [Fact]
    public void AS24_PrimaryFails_SecondaryBecomesPrimaryAndOwnsTheVip()
    {
        var s = GroupScenario.Create(HaMode.SharedPair).WithSes(2).WithVss(1);
        s.Run();
        var primary = s.Primary("vs-01")!;
        var secondary = s.SesOf("vs-01").Single(x => x != primary);

        s.Fail(primary);
        var result = s.Run();

        Assert.Equal(secondary, s.Primary("vs-01"));
        Assert.Equal(secondary, s.Owners()["10.0.0.2"]);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsSwitchover && e.SeRef == secondary);
    }

    [Fact]
    public void AS25_SecondaryFails_PrimaryKeepsTheVipAndOtherVssAreUnaffected()
    {
        var s = GroupScenario.Create(HaMode.SharedPair, g => g with { Algo = PlacementAlgo.Distributed }).WithSes(4).WithVss(4);
        s.Run();
        var primary = s.Primary("vs-01")!;
        var secondary = s.SesOf("vs-01").Single(x => x != primary);
        var untouched = s.Vss.Select(v => v.Name).Where(v => !s.Vs(v).SeList.Any(e => e.SeRef == secondary)).ToDictionary(v => v, v => s.Vs(v));

        s.Fail(secondary);
        s.Run();

        Assert.Equal(primary, s.Primary("vs-01"));
        Assert.All(untouched, kv => Assert.Same(kv.Value, s.Vs(kv.Key)));
    }

    [Fact]
    public void AS62_HostRedundancy_PrimaryAndSecondaryOnDifferentHosts()
    {
        var s = GroupScenario.Create(HaMode.SharedPair).WithSes(3, i => i <= 2 ? "host-a" : "host-b").WithVss(3);

        s.Run();

        var hostOf = s.Ses.ToDictionary(se => se.Name, se => se.HostRef);
        Assert.All(s.Vss, vs => Assert.Equal(2, s.SesOf(vs.Name).Select(se => hostOf[se]).Distinct().Count()));
    }

    [Fact]
    public void AS62_HostRedundancyOff_SameHostIsFine()
    {
        var s = GroupScenario.Create(HaMode.SharedPair, g => g with { VsHostRedundancy = false }).WithSes(2, _ => "host-a").WithVss(1);

        s.Run();

        Assert.Equal(2, s.SesOf("vs-01").Count);
    }

    [Fact]
    public void AS09_VsMovedToAnActiveActiveGroup_LeavesTheOldGroupAndIsPlacedPerTheNewGroupsMinimum()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var config = new HaConfiguration
        {
            ServiceEngineGroups = [new ServiceEngineGroup { Name = "a" }, new ServiceEngineGroup { Name = "b", HaMode = HaMode.SharedPair }],
            ServiceEngines =
            [
                new ServiceEngine { Name = "a-1", SeGroupRef = "a" },
                new ServiceEngine { Name = "b-1", SeGroupRef = "b" },
                new ServiceEngine { Name = "b-2", SeGroupRef = "b" },
            ],
            VirtualServices = [new VirtualService { Name = "web", SeGroupRef = "a", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.7" }] }],
        };
        var inA = PlacementEngine.Compute(PlacementInput.ForGroup(config, "a", null, now)).Placement;
        var disable = new ConfigurationChange { UpsertVirtualServices = [config.VirtualServices[0] with { Enabled = false }] };
        var disabled = ConfigurationValidator.Validate(disable, config).Proposed;
        var move = new ConfigurationChange { UpsertVirtualServices = [disabled.VirtualServices[0] with { SeGroupRef = "b", Enabled = true }] };

        Assert.False(ConfigurationValidator.Validate(move, config).IsValid);
        var moved = ConfigurationValidator.Validate(move, disabled);
        Assert.True(moved.IsValid);

        var leftA = PlacementEngine.Compute(PlacementInput.ForGroup(moved.Proposed, "a", inA, now));
        var inB = PlacementEngine.Compute(PlacementInput.ForGroup(moved.Proposed, "b", null, now)).Placement;

        Assert.Null(leftA.Placement.Find("web"));
        Assert.Contains(leftA.Events, e => e.Type == HaEventType.VsPlacementRemoved && e.VsRef == "web");
        Assert.Equal(2, inB.Find("web")!.SeList.Count);
    }

    [Fact]
    public void Engine_DistributedActiveActiveMinimumRaised_AddsPlacementsOnBusySesToo()
    {
        var s = GroupScenario.Create(HaMode.SharedPair, g => g with { Algo = PlacementAlgo.Distributed }).WithSes(3).WithVss(3);
        s.Run();
        Assert.All(s.Placement!.ServiceEngines, r => Assert.True(r.Load > 0));

        s.Group = s.Group with { MinScaleoutPerVs = 3 };
        s.Run();

        Assert.All(s.Vss, v => Assert.Equal(3, s.SesOf(v.Name).Count));
    }
}
