using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

public sealed class DeprovisionTests
{
    /// <summary>Four VSs on an N+M group of three SEs, 4 slots each: two SEs in use (N=1, M=1), one idle.</summary>
    private static GroupScenario Group(int delayMinutes, int bufferSe = 1, int vss = 4)
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxVsPerSe = 4, BufferSe = bufferSe, SeDeprovisionDelay = delayMinutes }).WithSes(3).WithVss(vss);
        s.Run();
        return s;
    }

    private static string IdleSe(GroupScenario s) => Assert.Single(s.Placement!.ServiceEngines, r => r.Load == 0).SeRef;

    [Fact]
    public void AS33_SeWithoutPlacementForDeprovisionDelay_IsReportedDueOnceAndNothingMoves()
    {
        var s = Group(delayMinutes: 120);
        var idle = IdleSe(s);
        var lists = s.Vss.ToDictionary(v => v.Name, v => s.Vs(v.Name).SeList);
        Assert.Equal(GroupScenario.Start, s.Placement!.ServiceEngines.Single(r => r.SeRef == idle).IdleSince);

        s.Now = GroupScenario.Start.AddMinutes(119);
        Assert.False(s.Run().Changed);

        s.Now = GroupScenario.Start.AddMinutes(120);
        var due = s.Run();

        var e = Assert.Single(due.Events);
        Assert.Equal(HaEventType.SeDeprovisionDue, e.Type);
        Assert.Equal(idle, e.SeRef);
        Assert.Contains("AviOrleans does not delete service engines", e.Description, StringComparison.Ordinal);
        Assert.True(s.Placement!.ServiceEngines.Single(r => r.SeRef == idle).DeprovisionDue);
        Assert.All(s.Vss, v => Assert.Equal(lists[v.Name], s.Vs(v.Name).SeList));

        s.Now = GroupScenario.Start.AddMinutes(600);
        var later = s.Run();
        Assert.False(later.Changed);
        Assert.Empty(later.Events);
    }

    [Fact]
    public void AS33_DeprovisionDelayZero_IdleSeIsNeverReported()
    {
        var s = Group(delayMinutes: 0);
        var idle = IdleSe(s);

        s.Now = GroupScenario.Start.AddMinutes(525600);
        var result = s.Run();

        Assert.False(result.Changed);
        Assert.Empty(result.Events);
        Assert.False(s.Placement!.ServiceEngines.Single(r => r.SeRef == idle).DeprovisionDue);
    }

    [Fact]
    public void AS33_IdleSeTheBufferNeeds_IsNotReported()
    {
        // buffer_se = 2 keeps 8 free slots; two VSs leave 10, so without the idle SE's 4 the buffer would be short.
        var s = Group(delayMinutes: 120, bufferSe: 2, vss: 2);
        var idle = IdleSe(s);

        s.Now = GroupScenario.Start.AddMinutes(240);
        var result = s.Run();

        Assert.DoesNotContain(result.Events, e => e.Type == HaEventType.SeDeprovisionDue);
        Assert.False(s.Placement!.ServiceEngines.Single(r => r.SeRef == idle).DeprovisionDue);
    }

    [Fact]
    public void AS33_DueSeThatGetsAPlacement_IsNoLongerIdle()
    {
        var s = Group(delayMinutes: 120);
        var idle = IdleSe(s);
        s.Now = GroupScenario.Start.AddMinutes(120);
        s.Run();
        var busy = s.Primary("vs-01")!;

        s.Fail(busy);
        s.Run();

        var runtime = s.Placement!.ServiceEngines.Single(r => r.SeRef == idle);
        Assert.True(runtime.Load > 0);
        Assert.Null(runtime.IdleSince);
        Assert.False(runtime.DeprovisionDue);
    }

    [Fact]
    public void AS33_IdleSesBelowMinSe_AreKeptAndADeadSePastItsRetentionNoLongerCountsTowardsMinSe()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { BufferSe = 0, MinSe = 3, SeDeprovisionDelay = 1 }).WithSes(4).WithVss(1);
        s.Run();

        s.Now = GroupScenario.Start.AddMinutes(1);
        var due = s.Run();

        // Four SEs, min_se = 3: one of the three idle SEs may go.
        Assert.Equal(["se-2"], due.Events.Where(e => e.Type == HaEventType.SeDeprovisionDue).Select(e => e.SeRef));

        s.Fail("se-4");
        s.Run();
        s.Now = GroupScenario.Start.AddMinutes(1).AddSeconds(600);
        s.Run();

        // se-4 is due as a dead SE (Avi has deleted it by now); the three left are min_se, so se-2 is no longer due.
        Assert.Equal(["se-4"], s.Placement!.ServiceEngines.Where(r => r.DeprovisionDue).Select(r => r.SeRef));
    }
}
