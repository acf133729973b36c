using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

/// <summary>
/// How many SEs a group needs and why (<see cref="SeRequirement"/>), the buffer SEs, and <c>SE_NEEDED</c>: where Avi
/// would create an SE, AviOrleans (whose SEs are the operator's) asks for one and says why.
/// </summary>
public sealed class SeRequirementTests
{
    private static SeNeed Need(GroupScenario s, SeNeedReason reason) => Assert.Single(s.Requirement.Needs, n => n.Reason == reason);

    [Fact]
    public void Requirement_NPlusMPackedWithRoom_NeedsNPlusMAndNamesTheIdleBufferSe()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(3).WithVss(1);

        var result = s.Run();

        // N = ceil(1 / 10) = 1, M = buffer_se = 1: se-1 holds the VS, se-2 is the buffer, se-3 is a spare not in use.
        Assert.Equal((2, 3, 0), (s.Requirement.SesNeeded, s.Requirement.SesUsable, s.Requirement.SesMissing));
        Assert.Empty(s.Requirement.Needs);
        Assert.Equal(["se-2"], s.Placement!.ServiceEngines.Where(r => r.IsBuffer).Select(r => r.SeRef));
        Assert.Equal(1, s.LoadOf("se-1"));
        Assert.DoesNotContain(result.Events, e => e.Type == HaEventType.SeNeeded);
    }

    [Fact]
    public void Requirement_NPlusMPackedBufferSpreadOverLoadedSes_NoSeIsNamedTheBuffer()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(3).WithVss(5);

        s.Run();

        // N + M = 2 SEs in use share the five VSs (least-loaded first, AS-10); their 15 free slots are the buffer.
        Assert.Equal(5, s.LoadOf("se-1") + s.LoadOf("se-2"));
        Assert.Equal(0, s.LoadOf("se-3"));
        Assert.DoesNotContain(s.Placement!.ServiceEngines, r => r.IsBuffer);
        Assert.Empty(s.Requirement.Needs);
    }

    [Fact]
    public void Requirement_BufferShort_AsksOnceForAnSeSayingWhyAndTheJoiningSeBecomesTheBuffer()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxVsPerSe = 2 }).WithSes(1).WithVss(1);

        var first = s.Run();

        var need = Need(s, SeNeedReason.BufferShort);
        Assert.Equal(1, need.Ses);
        Assert.Contains("1 free slots, buffer_se × max_vs_per_se = 1 × 2 = 2", need.Description, StringComparison.Ordinal);
        Assert.Equal((2, 1, 1), (s.Requirement.SesNeeded, s.Requirement.SesUsable, s.Requirement.SesMissing));
        var asked = Assert.Single(first.Events, e => e.Type == HaEventType.SeNeeded);
        Assert.Contains("needs 1 more service engine(s)", asked.Description, StringComparison.Ordinal);
        Assert.Contains("buffer short", asked.Description, StringComparison.Ordinal);
        Assert.Contains(first.Events, e => e.Type == HaEventType.VsSeHaCompromised);
        Assert.DoesNotContain(s.Run().Events, e => e.Type == HaEventType.SeNeeded);

        s.AddSe("se-2");
        var joined = s.Run();

        Assert.Empty(s.Requirement.Needs);
        Assert.Equal(0, s.Requirement.SesMissing);
        Assert.True(s.Runtime("se-2").IsBuffer);
        Assert.Contains(joined.Events, e => e.Type == HaEventType.VsSeHaActive);
        Assert.Equal(["se-1"], s.SesOf("vs-01"));
    }

    [Fact]
    public void Requirement_VsWaitingForASlot_NamesItAndAsksForAnSe()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxVsPerSe = 1, BufferSe = 0 }).WithSes(1).WithVss(2);

        var result = s.Run();

        var need = Need(s, SeNeedReason.VsAwaitingPlacement);
        Assert.Equal(["vs-02"], need.VsRefs);
        Assert.Equal(1, need.Ses);
        Assert.Contains("1 virtual service(s) waiting for a placement (first: vs-02)", need.Description, StringComparison.Ordinal);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsInitialPlacementFailed && e.VsRef == "vs-02");
        Assert.Contains(result.Events, e => e.Type == HaEventType.SeNeeded);
        Assert.Equal("SE_NEED_VS_AWAITING_PLACEMENT", need.Reason.ToAviName());
    }

    [Fact]
    public void Requirement_VsOnFewerSesThanItRequests_NamesItAndHowManyAreMissing()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MinScaleoutPerVs = 3, BufferSe = 0 }).WithSes(2).WithVss(1);

        var result = s.Run();

        var need = Need(s, SeNeedReason.VsAwaitingMoreSes);
        Assert.Equal(1, need.Ses);
        Assert.Equal(["vs-01"], need.VsRefs);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsScaleoutDoneAwaitingMoreSe && e.VsRef == "vs-01");
        Assert.Equal((3, 2, 1), (s.Requirement.SesNeeded, s.Requirement.SesUsable, s.Requirement.SesMissing));
    }

    [Fact]
    public void Requirement_LegacyPairLosesAnSe_NeedsItsStandbyBack()
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby).WithSes(2).WithVss(2);
        s.Run();
        Assert.Empty(s.Requirement.Needs);

        s.Fail("se-2");
        var result = s.Run();

        var need = Need(s, SeNeedReason.StandbyMissing);
        Assert.Equal(1, need.Ses);
        Assert.Equal(["vs-01", "vs-02"], need.VsRefs);
        Assert.Equal((2, 1, 1, 2), (s.Requirement.SesNeeded, s.Requirement.SesUsable, s.Requirement.SesMissing, s.Requirement.MaxSe));
        Assert.Contains(result.Events, e => e.Type == HaEventType.SeNeeded);
    }

    [Fact]
    public void Requirement_AtMaxSe_SaysMaxSeLeavesNoRoomAndTheVsIsStillPlaced()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxVsPerSe = 2, MaxSe = 2 }).WithSes(2).WithVss(3);

        var result = s.Run();

        // AS-16: the third VS goes into the buffer, the group is HA-compromised, and nothing more may join.
        Assert.All(s.Vss, v => Assert.Equal(OperState.Up, s.Vs(v.Name).OperState));
        Assert.Equal(1, Need(s, SeNeedReason.BufferShort).Ses);
        Assert.Equal((2, 0), (s.Requirement.SesCountingAgainstMaxSe, s.Requirement.SesAddable));
        var asked = Assert.Single(result.Events, e => e.Type == HaEventType.SeNeeded);
        Assert.Contains("max_se = 2 leaves room for 0 (raise max_se or remove a dead service engine)", asked.Description, StringComparison.Ordinal);
        Assert.Contains(result.Events, e => e.Type == HaEventType.VsSeHaCompromised);
    }

    [Fact]
    public void Requirement_DisabledGroupContent_NeedsNothing()
    {
        var s = GroupScenario.Create(HaMode.Shared).WithSes(0).WithVss(1);
        s.SetVs("vs-01", v => v with { Enabled = false });

        s.Run();

        Assert.Equal((0, 0), (s.Requirement.SesNeeded, s.Requirement.SesMissing));
        Assert.Empty(s.Requirement.Needs);
    }

    [Fact]
    public void Distributed_NPlusM_EveryPlacementGoesToAnIdleSeUntilMaxSeThenToTheLeastLoaded()
    {
        // §2.5's example: max_se = 4, M = 1, eight VSs created one after another.
        var s = GroupScenario.Create(HaMode.Shared, g => g with { Algo = PlacementAlgo.Distributed, MaxSe = 4 }).WithSes(6);
        var order = new List<string>();
        for (var i = 1; i <= 8; i++)
        {
            s.AddVs($"vs-{i}", $"192.0.2.{i}");
            s.Run();
            order.Add(s.Primary($"vs-{i}")!);
        }

        Assert.Equal(["se-1", "se-2", "se-3", "se-4"], order.Take(4));
        Assert.All(new[] { "se-1", "se-2", "se-3", "se-4" }, se => Assert.Equal(2, s.LoadOf(se)));
        Assert.Equal(0, s.LoadOf("se-5") + s.LoadOf("se-6"));
        Assert.Empty(s.Requirement.Needs);
    }

    [Fact]
    public void Distributed_NPlusM_NoIdleSeLeft_AsksForTheSeAviWouldCreateAndPlacesOnTheLeastLoaded()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { Algo = PlacementAlgo.Distributed, MaxSe = 4 }).WithSes(2).WithVss(2);
        s.Run();
        Assert.Empty(s.Requirement.Needs);
        var before = s.Placement!;

        s.AddVs("vs-03", "192.0.2.103");
        var third = s.Run();

        Assert.Equal(OperState.Up, s.Vs("vs-03").OperState);
        var need = Need(s, SeNeedReason.DistributedSpread);
        Assert.Equal(1, need.Ses);
        Assert.Contains("PLACEMENT_ALGO_DISTRIBUTED: 3 placement(s), each on a service engine of its own up to max_se = 4; 2 usable: 1 more", need.Description, StringComparison.Ordinal);
        Assert.Contains(third.Events, e => e.Type == HaEventType.SeNeeded && e.Description.Contains("PLACEMENT_ALGO_DISTRIBUTED", StringComparison.Ordinal));

        s.AddSe("se-3");
        s.AddVs("vs-04", "192.0.2.104");
        s.Run();

        Assert.Equal(["se-3"], s.SesOf("vs-04"));
        Assert.Equal(before.Find("vs-01")!.SeList, s.Vs("vs-01").SeList);
        Assert.Equal(before.Find("vs-02")!.SeList, s.Vs("vs-02").SeList);
        Assert.Equal(1, Need(s, SeNeedReason.DistributedSpread).Ses);
    }

    [Fact]
    public void Distributed_NPlusM_BufferIsKeptWhileEveryVsHasAnSeOfItsOwn()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { Algo = PlacementAlgo.Distributed, MaxSe = 4, MaxVsPerSe = 1, BufferSe = 1 }).WithSes(2).WithVss(2);

        s.Run();

        // Two VSs fill both SEs: no free slot for the buffer of 1 × 1.
        Assert.Equal(1, Need(s, SeNeedReason.BufferShort).Ses);
        Assert.Equal(3, s.Requirement.SesNeeded);
        Assert.True(s.Placement!.HaCompromised);
    }

    [Fact]
    public void DeadSe_CountsAgainstMaxSeUntilAviWouldHaveDeletedItThenIsReportedForRemoval()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxSe = 2 }).WithSes(2).WithVss(1);
        s.Run();
        s.Fail("se-2");
        s.Run();

        var dead = s.Runtime("se-2");
        Assert.Equal(GroupScenario.Start, dead.DownSince);
        Assert.True(dead.CountsAgainstMaxSe);
        Assert.Equal(GroupScenario.Start.AddSeconds(600), dead.CountsAgainstMaxSeUntil);
        Assert.Equal(GroupScenario.Start.AddSeconds(600), s.Placement!.GetNextDeadline());
        Assert.Equal((2, 0), (s.Requirement.SesCountingAgainstMaxSe, s.Requirement.SesAddable));

        s.Now = GroupScenario.Start.AddSeconds(599);
        s.Run();
        Assert.True(s.Runtime("se-2").CountsAgainstMaxSe);

        s.Now = GroupScenario.Start.AddSeconds(600);
        var released = s.Run();
        Assert.False(s.Runtime("se-2").CountsAgainstMaxSe);
        Assert.True(s.Runtime("se-2").DeprovisionDue);
        Assert.Null(s.Runtime("se-2").CountsAgainstMaxSeUntil);
        Assert.Null(s.Placement!.GetNextDeadline());
        Assert.Equal((1, 1), (s.Requirement.SesCountingAgainstMaxSe, s.Requirement.SesAddable));
        var due = Assert.Single(released.Events);
        Assert.Equal(HaEventType.SeDeprovisionDue, due.Type);
        Assert.Contains("no longer counts against max_se", due.Description, StringComparison.Ordinal);

        s.Now = GroupScenario.Start.AddSeconds(900);
        Assert.Empty(s.Run().Events);
    }

    [Fact]
    public void DeadSe_WithZeroControllerTimers_StopsCountingAtOnce()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxSe = 2 }).WithSes(2).WithVss(1);
        s.ControllerProperties = new ControllerProperties { UnresponsiveSeReboot = 0, DelOfflineSeAfterRebootDelay = 0 };
        s.Run();

        s.Fail("se-2");
        s.Run();

        Assert.False(s.Runtime("se-2").CountsAgainstMaxSe);
        Assert.Equal(1, s.Requirement.SesAddable);
    }

    [Fact]
    public void DeadSe_ComingBackBeforeItsRetention_CountsAgainAndForgetsItsDeath()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxSe = 2 }).WithSes(2).WithVss(1);
        s.Run();
        s.Fail("se-2");
        s.Run();

        s.Now = GroupScenario.Start.AddSeconds(120);
        s.Recover("se-2");
        var result = s.Run();

        Assert.Null(s.Runtime("se-2").DownSince);
        Assert.True(s.Runtime("se-2").CountsAgainstMaxSe);
        Assert.Null(s.Placement!.GetNextDeadline());
        Assert.Contains(result.Events, e => e.Type == HaEventType.SeUp && e.SeRef == "se-2");
    }

    [Fact]
    public void DeadSe_ReplacedAndBack_TheGroupStillUsesAtMostMaxSeSes()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxSe = 2, MaxVsPerSe = 1, BufferSe = 0 }).WithSes(2).WithVss(2);
        s.Run();
        s.Fail("se-2");
        s.Run();
        s.Now = GroupScenario.Start.AddSeconds(600);
        s.AddSe("se-3");
        s.Run();
        Assert.Equal(OperState.Up, s.Vs("vs-02").OperState);

        s.Recover("se-2");
        s.AddVs("vs-03", "192.0.2.103");
        s.Run();

        Assert.Equal(0, s.LoadOf("se-2"));
        Assert.Equal(OperState.Resources, s.Vs("vs-03").OperState);
        Assert.Contains("max_se = 2", s.Vs("vs-03").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadSe_BackAfterItsReplacementJoined_IsNeitherUsableNorCountedInTheBuffer()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxSe = 2, MaxVsPerSe = 1, BufferSe = 1 }).WithSes(2).WithVss(1);
        s.Run();
        s.Fail("se-2");
        s.Run();
        s.Now = GroupScenario.Start.AddSeconds(600);
        s.AddSe("se-3");
        s.Run();
        Assert.Empty(s.Requirement.Needs);

        s.Recover("se-2");
        s.Run();

        // Three live SEs, max_se = 2: one of the idle two is the buffer, the other can take nothing.
        Assert.Equal(1, s.Placement!.FreeSlots);
        Assert.Equal(2, s.Requirement.SesUsable);
        Assert.Single(s.Placement.ServiceEngines, r => r.IsBuffer);
        Assert.Empty(s.Requirement.Needs);
    }

    [Fact]
    public void Distributed_IdleSesBeyondMaxSe_AreNotTheBuffer()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { Algo = PlacementAlgo.Distributed, MaxSe = 3 }).WithSes(5).WithVss(1);

        s.Run();

        // One SE in use, room for two more within max_se: se-2 and se-3 are the buffer, se-4 and se-5 spares.
        Assert.Equal(["se-2", "se-3"], s.Placement!.ServiceEngines.Where(r => r.IsBuffer).Select(r => r.SeRef));
        Assert.Equal(3, s.Requirement.SesUsable);
    }
}
