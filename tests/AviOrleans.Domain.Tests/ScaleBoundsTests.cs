using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

/// <summary>
/// D-MINMAX (§2.6): a VS requests <c>min_scaleout_per_vs</c> + its user scale-out factor SEs, and runtime changes of the
/// group's minimum and maximum, a disable/enable and a move to another group follow Avi's rules.
/// </summary>
public sealed class ScaleBoundsTests
{
    private static GroupScenario Elastic(int ses, int vss, Func<ServiceEngineGroup, ServiceEngineGroup>? configure = null, HaMode mode = HaMode.Shared)
    {
        var s = GroupScenario.Create(mode, configure).WithSes(ses).WithVss(vss);
        s.Run();
        return s;
    }

    private static void ScaleOut(GroupScenario s, string vs, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(Assert.Single(s.Run(new ScaleOutRequest { VsRef = vs }).Outcomes).Accepted);
        }
    }

    [Fact]
    public void MinMax_NewVs_RequestsTheGroupMinimumWithFactorZero()
    {
        var s = Elastic(4, 1, g => g with { MinScaleoutPerVs = 2 });

        var vs = s.Vs("vs-01");

        Assert.Equal(0, vs.ScaleoutFactor);
        Assert.Equal(2, vs.NumSeRequested);
        Assert.Equal(2, vs.NumSeAssigned);
        Assert.Equal(2, s.Placement!.MinScaleoutPerVs);
    }

    [Fact]
    public void MinMax_ActiveActiveGroupMinimumOfOne_CountsAsTwo()
    {
        var s = Elastic(3, 1, mode: HaMode.SharedPair);

        Assert.Equal(2, s.Vs("vs-01").NumSeRequested);
        Assert.Equal(0, s.Vs("vs-01").ScaleoutFactor);
        Assert.Equal(2, s.Placement!.MinScaleoutPerVs);
    }

    [Fact]
    public void MinMax_ManualScaleOutAndScaleIn_MoveTheFactorByOne()
    {
        var s = Elastic(4, 1);

        ScaleOut(s, "vs-01", 2);
        Assert.Equal((2, 3, 3), (s.Vs("vs-01").ScaleoutFactor, s.Vs("vs-01").NumSeRequested, s.Vs("vs-01").NumSeAssigned));

        Assert.True(Assert.Single(s.Run(new ScaleInRequest { VsRef = "vs-01" }).Outcomes).Accepted);
        Assert.Equal((1, 2, 2), (s.Vs("vs-01").ScaleoutFactor, s.Vs("vs-01").NumSeRequested, s.Vs("vs-01").NumSeAssigned));
    }

    [Fact]
    public void MinMax_MinimumLowered_FactorRisesByTheDifferenceAndEveryPlacementStays()
    {
        var s = Elastic(4, 2, g => g with { MinScaleoutPerVs = 3 });
        var before = s.Placement!;

        s.Group = s.Group with { MinScaleoutPerVs = 1 };
        var result = s.Run();

        Assert.All(s.Vss, v =>
        {
            Assert.Equal(2, s.Vs(v.Name).ScaleoutFactor);
            Assert.Equal(3, s.Vs(v.Name).NumSeRequested);
            Assert.Equal(before.Find(v.Name)!.SeList, s.Vs(v.Name).SeList);
        });
        Assert.DoesNotContain(result.Events, e => e.Type is HaEventType.VsScaleinStarted or HaEventType.VsPlacementRemoved);

        // To go down to the new minimum the user scales in explicitly (D-MINMAX).
        Assert.True(Assert.Single(s.Run(new ScaleInRequest { VsRef = "vs-01" }).Outcomes).Accepted);
        Assert.Equal(2, s.Vs("vs-01").NumSeRequested);
    }

    [Fact]
    public void MinMax_MinimumRaisedAboveTheCurrentScale_AddsPlacementsUpToIt()
    {
        var s = Elastic(4, 2);
        ScaleOut(s, "vs-01", 1);

        s.Group = s.Group with { MinScaleoutPerVs = 3 };
        s.Run();

        Assert.All(s.Vss, v =>
        {
            Assert.Equal(3, s.Vs(v.Name).NumSeRequested);
            Assert.Equal(0, s.Vs(v.Name).ScaleoutFactor);
            Assert.Equal(3, s.SesOf(v.Name).Count);
        });
    }

    [Fact]
    public void MinMax_MinimumRaisedNotAboveTheCurrentScale_AddsNothingToThatVs()
    {
        var s = Elastic(4, 2);
        ScaleOut(s, "vs-01", 2);
        var scaled = s.Vs("vs-01");

        s.Group = s.Group with { MinScaleoutPerVs = 2 };
        s.Run();

        // vs-01 already on 3 SEs keeps 3 (factor 1 over the new minimum); vs-02 on 1 grows to the new minimum.
        Assert.Equal(scaled.SeList, s.Vs("vs-01").SeList);
        Assert.Equal((1, 3), (s.Vs("vs-01").ScaleoutFactor, s.Vs("vs-01").NumSeRequested));
        Assert.Equal((0, 2), (s.Vs("vs-02").ScaleoutFactor, s.Vs("vs-02").NumSeRequested));
        Assert.Equal(2, s.SesOf("vs-02").Count);
    }

    [Fact]
    public void MinMax_MaximumLowered_KeepsTheScaleRefusesScaleOutAndAllowsScaleIn()
    {
        var s = Elastic(5, 1);
        ScaleOut(s, "vs-01", 3);
        var before = s.Vs("vs-01");

        s.Group = s.Group with { MaxScaleoutPerVs = 2 };
        s.Run();
        Assert.Equal(before.SeList, s.Vs("vs-01").SeList);
        Assert.Equal(4, s.Vs("vs-01").NumSeRequested);
        Assert.False(s.Vs("vs-01").HaCompromised);

        var refused = s.Run(new ScaleOutRequest { VsRef = "vs-01" });
        Assert.False(Assert.Single(refused.Outcomes).Accepted);
        Assert.Contains("max_scaleout_per_vs = 2", refused.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Contains(refused.Events, e => e.Type == HaEventType.VsScaleoutFailed);

        Assert.True(Assert.Single(s.Run(new ScaleInRequest { VsRef = "vs-01" }).Outcomes).Accepted);
        Assert.Equal(3, s.Vs("vs-01").NumSeRequested);
        Assert.Equal(3, s.SesOf("vs-01").Count);
    }

    [Fact]
    public void MinMax_DisabledAndEnabledAfterTheMaximumWasLowered_IsCappedAtTheMaximum()
    {
        var s = Elastic(5, 1);
        ScaleOut(s, "vs-01", 3);
        s.Group = s.Group with { MaxScaleoutPerVs = 2 };
        s.Run();

        s.SetVs("vs-01", v => v with { Enabled = false });
        s.Run();
        Assert.Equal(0, s.Vs("vs-01").NumSeRequested);
        Assert.Equal(3, s.Vs("vs-01").ScaleoutFactor);

        s.SetVs("vs-01", v => v with { Enabled = true });
        s.Run();

        Assert.Equal((1, 2, 2), (s.Vs("vs-01").ScaleoutFactor, s.Vs("vs-01").NumSeRequested, s.SesOf("vs-01").Count));
    }

    [Fact]
    public void MinMax_DisabledAndEnabledWithinTheMaximum_KeepsItsScale()
    {
        var s = Elastic(5, 1);
        ScaleOut(s, "vs-01", 2);

        s.SetVs("vs-01", v => v with { Enabled = false });
        s.Run();
        s.SetVs("vs-01", v => v with { Enabled = true });
        s.Run();

        Assert.Equal((2, 3, 3), (s.Vs("vs-01").ScaleoutFactor, s.Vs("vs-01").NumSeRequested, s.SesOf("vs-01").Count));
    }

    [Theory]
    [InlineData(HaMode.Shared, 2)]
    [InlineData(HaMode.SharedPair, 1)]
    public void MinMax_ScaleInAtTheMinimum_IsRefusedAndChangesNothing(HaMode mode, int min)
    {
        var s = Elastic(4, 1, g => g with { MinScaleoutPerVs = min }, mode);
        var placement = s.Placement;

        var refused = s.Run(new ScaleInRequest { VsRef = "vs-01" });

        Assert.False(Assert.Single(refused.Outcomes).Accepted);
        Assert.Contains("min_scaleout_per_vs", refused.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Contains(refused.Events, e => e.Type == HaEventType.VsScaleinFailed);
        Assert.Same(placement, s.Placement);
    }

    [Fact]
    public void MinMax_ScaleInWhileShortOfSes_LowersTheRequestAndRemovesNoServingPlacement()
    {
        var s = Elastic(3, 1);
        ScaleOut(s, "vs-01", 2);
        var victim = s.SesOf("vs-01")[^1];
        s.Fail(victim);
        s.Run();
        Assert.True(s.Vs("vs-01").HaCompromised);
        var serving = s.SesOf("vs-01");
        Assert.Equal(2, serving.Count);

        var result = s.Run(new ScaleInRequest { VsRef = "vs-01" });

        Assert.True(Assert.Single(result.Outcomes).Accepted);
        Assert.Equal(serving, s.SesOf("vs-01"));
        Assert.Equal((1, 2, 2), (s.Vs("vs-01").ScaleoutFactor, s.Vs("vs-01").NumSeRequested, s.Vs("vs-01").NumSeAssigned));
        Assert.False(s.Vs("vs-01").HaCompromised);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsSeHaActive && e.VsRef == "vs-01");
    }

    [Fact]
    public void MinMax_VsMovedToAnotherGroup_IsPlacedByTheDestinationMinimumWithFactorZero()
    {
        var now = GroupScenario.Start;
        var config = new HaConfiguration
        {
            ServiceEngineGroups = [new ServiceEngineGroup { Name = "a" }, new ServiceEngineGroup { Name = "b", MinScaleoutPerVs = 2 }],
            ServiceEngines =
            [
                .. Enumerable.Range(1, 4).Select(i => new ServiceEngine { Name = $"a-{i}", SeGroupRef = "a" }),
                .. Enumerable.Range(1, 4).Select(i => new ServiceEngine { Name = $"b-{i}", SeGroupRef = "b" }),
            ],
            VirtualServices = [new VirtualService { Name = "web", SeGroupRef = "a", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.7" }] }],
        };
        var inA = PlacementEngine.Compute(PlacementInput.ForGroup(config, "a", null, now)).Placement;
        for (var i = 0; i < 3; i++)
        {
            inA = PlacementEngine.Compute(PlacementInput.ForGroup(config, "a", inA, now, new ScaleOutRequest { VsRef = "web" })).Placement;
        }

        Assert.Equal(3, inA.Find("web")!.ScaleoutFactor);
        var disabled = ConfigurationValidator.Validate(new ConfigurationChange { UpsertVirtualServices = [config.VirtualServices[0] with { Enabled = false }] }, config).Proposed;
        var moved = ConfigurationValidator.Validate(new ConfigurationChange { UpsertVirtualServices = [disabled.VirtualServices[0] with { SeGroupRef = "b", Enabled = true }] }, disabled);
        Assert.True(moved.IsValid);

        var inB = PlacementEngine.Compute(PlacementInput.ForGroup(moved.Proposed, "b", null, now)).Placement;

        var web = inB.Find("web")!;
        Assert.Equal((0, 2, 2), (web.ScaleoutFactor, web.NumSeRequested, web.SeList.Count));
    }

    [Fact]
    public void MinMax_ActiveActiveMinimumLoweredFromTwoToOne_ChangesNothing()
    {
        var s = Elastic(3, 2, g => g with { MinScaleoutPerVs = 2 }, HaMode.SharedPair);
        var before = s.Placement!;

        s.Group = s.Group with { MinScaleoutPerVs = 1 };
        var result = s.Run();

        Assert.False(result.Changed);
        Assert.Same(before, s.Placement);
    }

    [Fact]
    public void MinMax_PlacementWrittenBeforeTheMinimumWasRecorded_TakesFactorsAsTheyAre()
    {
        var s = Elastic(4, 1);
        ScaleOut(s, "vs-01", 1);
        var old = s.Placement! with { MinScaleoutPerVs = 0 };

        s.Group = s.Group with { MinScaleoutPerVs = 2 };
        var result = PlacementEngine.Compute(s.Input() with { Previous = old });

        // Without the recorded minimum no change of it can be detected: the factor (1) is added to the new minimum.
        Assert.Equal(3, result.Placement.Find("vs-01")!.NumSeRequested);
        Assert.Equal(2, result.Placement.MinScaleoutPerVs);
    }

    [Fact]
    public void ScaleOut_NoSeWithRoomWhileTheGroupMayGrow_WaitsForAnSeAndAsksForIt()
    {
        var s = Elastic(2, 1, g => g with { MaxSe = 4 });
        ScaleOut(s, "vs-01", 1);

        var waiting = s.Run(new ScaleOutRequest { VsRef = "vs-01" });

        Assert.True(Assert.Single(waiting.Outcomes).Accepted);
        Assert.Contains("waiting for a service engine", waiting.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Equal((2, 3, 2), (s.Vs("vs-01").ScaleoutFactor, s.Vs("vs-01").NumSeRequested, s.Vs("vs-01").NumSeAssigned));
        Assert.True(s.Vs("vs-01").HaCompromised);
        Assert.Contains(waiting.Events, e => e.Type == HaEventType.VsScaleoutDoneAwaitingMoreSe && e.VsRef == "vs-01");
        Assert.Contains(waiting.Events, e => e.Type == HaEventType.SeNeeded);
        Assert.Contains(s.Requirement.Needs, n => n.Reason == SeNeedReason.VsAwaitingMoreSes && n.VsRefs.Contains("vs-01"));

        s.AddSe("se-3");
        var joined = s.Run();

        Assert.Equal(3, s.SesOf("vs-01").Count);
        Assert.Contains("se-3", s.SesOf("vs-01"));
        Assert.False(s.Vs("vs-01").HaCompromised);
        Assert.Contains(joined.Events, e => e.Type == HaEventType.VsSeHaActive && e.VsRef == "vs-01");
    }

    [Fact]
    public void ScaleOut_NoSeWithRoomAtMaxSe_IsRefusedSayingSo()
    {
        var s = Elastic(2, 1, g => g with { MaxSe = 2 });
        ScaleOut(s, "vs-01", 1);
        var placement = s.Placement;

        var refused = s.Run(new ScaleOutRequest { VsRef = "vs-01" });

        Assert.False(Assert.Single(refused.Outcomes).Accepted);
        Assert.Contains("at max_se = 2 service engines", refused.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Contains(refused.Events, e => e.Type == HaEventType.VsScaleoutFailed);
        Assert.Same(placement, s.Placement);
    }

    [Fact]
    public void ScaleOut_ToANamedSeThatCannotTakeIt_IsRefusedEvenWhileTheGroupMayGrow()
    {
        var s = Elastic(2, 1, g => g with { MaxSe = 4 });
        ScaleOut(s, "vs-01", 1);

        var refused = s.Run(new ScaleOutRequest { VsRef = "vs-01", ToSeRef = "se-1" });

        Assert.False(Assert.Single(refused.Outcomes).Accepted);
        Assert.Contains("already on se-1", refused.Outcomes[0].Reason, StringComparison.Ordinal);
        Assert.Equal(2, s.Vs("vs-01").NumSeRequested);
    }
}
