using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

public sealed class SuspicionTests
{
    private static void Suspect(GroupScenario s, string se, bool suspected = true) => s.SetSe(se, x => x with { DatapathSuspected = suspected });

    [Fact]
    public void AS53_LegacyActiveSuspectedByDatapath_NothingMovesUntilConfirmedThenTakeover()
    {
        var s = GroupScenario.Create(HaMode.LegacyActiveStandby, g => g with { FloatingIntfIp = ["192.0.2.254"] }).WithSes(2);
        s.AddVs("vs1", "192.0.2.1");
        s.AddVs("vs2", "192.0.2.2");
        s.Run();
        var active = s.Primary("vs1")!;
        var standby = s.StandbyOf("vs1")!;
        var owners = s.Owners();
        var lists = s.Vss.ToDictionary(v => v.Name, v => s.Vs(v.Name).SeList);

        Suspect(s, active);
        var suspected = s.Run();

        var e = Assert.Single(suspected.Events);
        Assert.Equal(HaEventType.SeDpHbFailed, e.Type);
        Assert.Equal(active, e.SeRef);
        Assert.Contains("nothing moves", e.Description, StringComparison.Ordinal);
        Assert.All(s.Vss, v => Assert.Equal(lists[v.Name], s.Vs(v.Name).SeList));
        Assert.Equal(owners, s.Owners());
        Assert.Empty(s.Run().Events);

        s.Fail(active);
        var confirmed = s.Run();

        Assert.Contains(confirmed.Events, x => x.Type == HaEventType.SeDown && x.SeRef == active);
        Assert.Equal(standby, s.Primary("vs1"));
        Assert.Equal(standby, s.Primary("vs2"));
        Assert.All(s.Owners().Values, o => Assert.Equal(standby, o));
    }

    [Fact]
    public void AS53_NPlusMSeSuspectedThenCleared_NothingEverMoves()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxVsPerSe = 4 }).WithSes(3).WithVss(6);
        s.Run();
        var se = s.Primary("vs-01")!;
        var lists = s.Vss.ToDictionary(v => v.Name, v => s.Vs(v.Name).SeList);

        Suspect(s, se);
        var suspected = s.Run();
        Suspect(s, se, suspected: false);
        var cleared = s.Run();

        Assert.Equal([HaEventType.SeDpHbFailed], suspected.Events.Select(x => x.Type));
        Assert.False(s.Placement!.ServiceEngines.Single(r => r.SeRef == se).DatapathSuspected);
        Assert.Equal([HaEventType.SeDpHbRecovered], cleared.Events.Select(x => x.Type));
        Assert.Equal(("SE_DP_HB_FAILED", "SE_DP_HB_RECOVERED"), (HaEventType.SeDpHbFailed.ToAviName(), HaEventType.SeDpHbRecovered.ToAviName()));
        Assert.DoesNotContain(cleared.Events, x => x.Type is HaEventType.SeDown or HaEventType.VsMigrateStarted or HaEventType.VsPlacementRemoved);
        Assert.All(s.Vss, v => Assert.Equal(lists[v.Name], s.Vs(v.Name).SeList));
    }

    [Fact]
    public void AS53_SuspectedAndConfirmedDown_OnlyItsVssAreReplaced()
    {
        var s = GroupScenario.Create(HaMode.Shared, g => g with { MaxVsPerSe = 4 }).WithSes(3).WithVss(6);
        s.Run();
        var se = s.Primary("vs-01")!;
        var untouched = s.Vss.Where(v => !s.SesOf(v.Name).Contains(se)).ToDictionary(v => v.Name, v => s.Vs(v.Name).SeList);
        Suspect(s, se);
        s.Run();

        s.Fail(se);
        var confirmed = s.Run();

        Assert.Contains(confirmed.Events, x => x.Type == HaEventType.SeDown && x.SeRef == se);
        Assert.NotEqual(se, s.Primary("vs-01"));
        Assert.All(untouched, kv => Assert.Equal(kv.Value, s.Vs(kv.Key).SeList));
        Assert.False(s.Placement!.ServiceEngines.Single(r => r.SeRef == se).DatapathSuspected);
    }
}
