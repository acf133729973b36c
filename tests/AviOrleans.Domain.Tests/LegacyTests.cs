using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

public sealed class LegacyTests
{
    private static GroupScenario Compacted(int vss = 5)
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby, g => g with { FloatingIntfIp = ["192.0.2.254"] }).WithSes(2);
        for (var i = 1; i <= vss; i++)
        {
            s.AddVs($"vs{i}", $"192.0.2.{i}", v => v with { SnatIp = [$"198.51.100.{i}"] });
        }

        s.Run();
        return s;
    }

    /// <summary>AS-38: distribute-load, VS1 and VS2 tagged SE_1, VS3 tagged SE_2, one floating IP per side.</summary>
    private static GroupScenario Distributed(bool autoRedistribute = false)
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby, g => g with
        {
            DistributeLoadActiveStandby = true,
            AutoRedistributeActiveStandbyLoad = autoRedistribute,
            FloatingIntfIp = ["192.0.2.254"],
            FloatingIntfIpSe2 = ["192.0.2.253"],
        }).WithSes(2);
        s.AddVs("vs1", "192.0.2.1");
        s.AddVs("vs2", "192.0.2.2");
        s.AddVs("vs3", "192.0.2.3", v => v with { ActiveStandbySeTag = ActiveStandbySeTag.ActiveStandbySe2, SnatIp = ["198.51.100.3"] });
        s.Run();
        return s;
    }

    [Fact]
    public void AS05_ScaleOutInLegacy_IsRefusedAndTheVsKeepsOneActiveAndOneStandby()
    {
        var s = Compacted(1);

        var result = s.Run(new ScaleOutRequest { VsRef = "vs1" });

        Assert.False(result.Outcomes[0].Accepted);
        Assert.False(result.Changed);
        Assert.Single(s.SesOf("vs1"));
        Assert.NotNull(s.StandbyOf("vs1"));
    }

    [Fact]
    public void AS50_FloatingIpAdded_OwnedAtOnceByTheActiveSeWithoutAVsBounce()
    {
        // Deliberate difference from Avi, where a floating IP change is advertised only after a VS disable/enable:
        // AviOrleans derives address ownership from the placement, so the new address is owned at once.
        var s = Compacted();
        var active = s.Primary("vs1")!;
        var before = s.Vss.ToDictionary(v => v.Name, v => s.Vs(v.Name));

        s.Group = s.Group with { FloatingIntfIp = ["192.0.2.254", "192.0.2.250"] };
        var result = s.Run();

        Assert.Equal(active, s.Owners()["192.0.2.250"]);
        Assert.Equal(active, s.Owners()["192.0.2.254"]);
        Assert.Contains(s.Placement!.GetAddressesOwnedBy(active), o => o.Address == "192.0.2.250");
        Assert.All(s.Vss, v => Assert.Same(before[v.Name], s.Vs(v.Name)));
        Assert.True(s.Vss.All(v => v.Enabled && v.TrafficEnabled));
        Assert.DoesNotContain(result.Events, e => e.Type is HaEventType.VsSwitchover or HaEventType.VsPlacementRemoved or HaEventType.VsScaleoutDone);
    }

    [Fact]
    public void AS37_Compacted_AllVssActiveOnOneSeAndAllAddressesThere()
    {
        var s = Compacted();

        Assert.All(s.Vss, v => Assert.Equal(["se-1"], s.SesOf(v.Name)));
        Assert.All(s.Vss, v => Assert.Equal("se-2", s.StandbyOf(v.Name)));
        var owners = s.Placement!.GetAddressOwners();
        Assert.Equal(11, owners.Count);
        Assert.All(owners, o => Assert.Equal("se-1", o.SeRef));
        Assert.Contains(owners, o => o.Kind == AddressKind.FloatingInterfaceIp);
        Assert.Contains(owners, o => o.Kind == AddressKind.SnatIp);
    }

    [Fact]
    public void AS38_DistributeLoad_VssSplitByTagAndFloatingIpsPerSide()
    {
        var s = Distributed();

        Assert.Equal("se-1", s.Primary("vs1"));
        Assert.Equal("se-1", s.Primary("vs2"));
        Assert.Equal("se-2", s.Primary("vs3"));
        Assert.Equal("se-1", s.StandbyOf("vs3"));
        var owners = s.Owners();
        Assert.Equal("se-1", owners["192.0.2.254"]);
        Assert.Equal("se-2", owners["192.0.2.253"]);
        Assert.Equal("se-2", owners["198.51.100.3"]);
    }

    [Fact]
    public void AS39_SeActiveForVs3Fails_SurvivorTakesEveryVsAndEveryAddress()
    {
        var s = Distributed();

        s.Fail("se-2");
        var result = s.Run();

        Assert.All(s.Vss, v => Assert.Equal("se-1", s.Primary(v.Name)));
        Assert.All(s.Placement!.GetAddressOwners(), o => Assert.Equal("se-1", o.SeRef));
        Assert.Equal(6, s.Placement.GetAddressOwners().Count);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsSwitchover && e.VsRef == "vs3");
        Assert.Contains(result.Events, e => e.Type == HaEventType.FloatingIpTakeover);
        Assert.All(s.Vss, v => Assert.True(s.Vs(v.Name).HaCompromised));
    }

    [Fact]
    public void AS40_NoFailbackByDefault_ReplacementBecomesStandbyUntilRedistribute()
    {
        var s = Distributed();
        s.Fail("se-2");
        s.Run();

        s.Ses.RemoveAll(se => se.Name == "se-2");
        s.AddSe("se-3");
        s.Run();

        Assert.All(s.Vss, v => Assert.Equal("se-1", s.Primary(v.Name)));
        Assert.All(s.Vss, v => Assert.Equal("se-3", s.StandbyOf(v.Name)));
        Assert.Equal("se-3", s.Placement!.Legacy!.Se2Ref);

        var result = s.Run(new RedistributeRequest());

        Assert.True(result.Outcomes[0].Accepted);
        Assert.Equal("se-3", s.Primary("vs3"));
        Assert.Equal("se-1", s.Primary("vs1"));
        Assert.Equal("se-1", s.Primary("vs2"));
        Assert.Equal("se-3", s.Owners()["192.0.2.253"]);
        Assert.Equal("se-1", s.Owners()["192.0.2.254"]);
    }

    [Fact]
    public void AS41_AutoRedistribute_Vs3AndItsFloatingIpMoveBackWhenTheSeReturns()
    {
        var s = Distributed(autoRedistribute: true);
        s.Fail("se-2");
        s.Run();
        Assert.Equal("se-1", s.Primary("vs3"));

        s.Recover("se-2");
        var result = s.Run();

        Assert.Equal("se-2", s.Primary("vs3"));
        Assert.Equal("se-2", s.Owners()["192.0.2.253"]);
        Assert.Equal("se-1", s.Primary("vs1"));
        Assert.Equal("se-1", s.Primary("vs2"));
        Assert.Contains(result.Events, e => e.Type == HaEventType.SeRedistribute && e.VsRef == "vs3");
        Assert.DoesNotContain(result.Events, e => e.Type == HaEventType.SeRedistribute && e.VsRef != "vs3");
    }

    [Fact]
    public void AS43_HmOnStandbyOn_BothSesProbeThePool()
    {
        var s = Compacted(1);

        Assert.Equal(["se-1", "se-2"], s.Placement!.GetHealthMonitoringSes("vs1", hmOnStandby: true));
    }

    [Fact]
    public void AS44_HmOnStandbyOff_OnlyTheActiveProbesAndTheNewActiveAfterTakeover()
    {
        var s = Compacted(1);
        Assert.Equal(["se-1"], s.Placement!.GetHealthMonitoringSes("vs1", hmOnStandby: false));

        s.Fail("se-1");
        s.Run();

        Assert.Equal(["se-2"], s.Placement.GetHealthMonitoringSes("vs1", hmOnStandby: false));
    }

    [Fact]
    public void AS45_ActiveLosesGateway_AllVssSwitchAndNothingMovesBackWhenItReturns()
    {
        var s = Compacted(3);
        var before = s.Placement!;

        // The standby losing its gateway moves nothing; the SE's gateway state is recorded with Avi's event.
        s.SetSe("se-2", se => se with { GatewayReachable = false });
        var standbyLost = s.Run();
        Assert.Equal(before.VirtualServices, s.Placement!.VirtualServices);
        Assert.Equal([HaEventType.SeGatewayHeartbeatFailed], standbyLost.Events.Select(e => e.Type));
        Assert.False(s.Placement.ServiceEngines.Single(r => r.SeRef == "se-2").GatewayReachable);

        s.SetSe("se-2", se => se with { GatewayReachable = true });
        s.SetSe("se-1", se => se with { GatewayReachable = false });
        s.Run();
        Assert.All(s.Vss, v => Assert.Equal("se-2", s.Primary(v.Name)));
        Assert.Equal("se-2", s.Owners()["192.0.2.254"]);

        var switched = s.Placement!;
        s.SetSe("se-1", se => se with { GatewayReachable = true });
        var back = s.Run();
        Assert.Equal(switched.VirtualServices, s.Placement!.VirtualServices);
        Assert.Equal([HaEventType.SeGatewayHeartbeatSuccess], back.Events.Select(e => e.Type));
        Assert.All(s.Vss, v => Assert.Equal("se-2", s.Primary(v.Name)));
    }

    [Fact]
    public void AS45_VsThatCannotBePlacedWhileActiveLacksGateway_ReportsNoSwitchoverOnEveryRun()
    {
        // Found by the FsCheck properties: a VS waiting for a slot used to "switch over" on every run.
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby, g => g with { MaxVsPerSe = 1 }).WithSes(2);
        s.SetSe("se-1", se => se with { GatewayReachable = false });
        s.AddVs("vs1", "192.0.2.1");
        s.AddVs("vs2", "192.0.2.2");
        var first = s.Run();

        var again = s.Run();

        Assert.Equal("se-2", s.Primary("vs1"));
        Assert.Equal(OperState.Resources, s.Vs("vs2").OperState);
        Assert.DoesNotContain(first.Events, e => e.Type == HaEventType.VsSwitchover);
        Assert.False(again.Changed);
        Assert.Empty(again.Events);
    }

    [Fact]
    public void AS45_BothLoseGateway_NothingChanges()
    {
        var s = Compacted(2);
        var before = s.Placement!;

        s.SetSe("se-1", se => se with { GatewayReachable = false });
        s.SetSe("se-2", se => se with { GatewayReachable = false });
        var result = s.Run();

        Assert.Equal(before.VirtualServices, s.Placement!.VirtualServices);
        Assert.Equal(before.Legacy, s.Placement.Legacy);
        Assert.All(result.Events, e => Assert.Equal(HaEventType.SeGatewayHeartbeatFailed, e.Type));
        Assert.Equal(2, result.Events.Count);
    }

    [Fact]
    public void AS47_SeSwitchover_EveryActiveMovesToThePeerStandbysStay()
    {
        var s = Distributed();

        var result = s.Run(new SeSwitchoverRequest { SeRef = "se-1" });

        Assert.True(result.Outcomes[0].Accepted);
        Assert.All(s.Vss, v => Assert.Equal("se-2", s.Primary(v.Name)));
        Assert.All(s.Vss, v => Assert.Equal("se-1", s.StandbyOf(v.Name)));
        Assert.Equal(2, result.Events.Count(e => e.Type == HaEventType.VsSwitchover));
        Assert.Equal("se-2", s.Owners()["192.0.2.254"]);
    }

    [Fact]
    public void AS47_VsSwitchover_OnlyThatVsMoves()
    {
        var s = Compacted(3);

        s.Run(new VsSwitchoverRequest { VsRef = "vs2" });

        Assert.Equal("se-2", s.Primary("vs2"));
        Assert.Equal("se-1", s.Primary("vs1"));
        Assert.Equal("se-1", s.Primary("vs3"));
    }

    [Fact]
    public void AS48_MigrateInLegacy_IsRejected()
    {
        var s = Compacted(1);

        var result = s.Run(new MigrateRequest { VsRef = "vs1", ToSeRef = "se-2" });

        Assert.False(result.Outcomes[0].Accepted);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsMigrateFailed);
        Assert.Equal("se-1", s.Primary("vs1"));
    }

    [Fact]
    public void Legacy_MaxVsPerSe_CapsThePairAndTheRestIsReportedUnplaced()
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby, g => g with { MaxVsPerSe = 2 }).WithSes(2).WithVss(3);

        var result = s.Run();

        Assert.Equal(OperState.Up, s.Vs("vs-01").OperState);
        Assert.Equal(OperState.Up, s.Vs("vs-02").OperState);
        Assert.Equal(OperState.Resources, s.Vs("vs-03").OperState);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsInitialPlacementFailed && e.VsRef == "vs-03");
    }

    [Fact]
    public void AS04_EngineGivenAThirdSe_NeverPlacesOnIt()
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby).WithSes(3).WithVss(4);

        s.Run();

        Assert.Equal(2, s.Placement!.ServiceEngines.Count);
        Assert.DoesNotContain(s.Placement.VirtualServices, v => v.SeList.Any(e => e.SeRef == "se-3"));
    }
}
