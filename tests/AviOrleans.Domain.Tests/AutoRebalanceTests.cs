using AviOrleans.Domain;
using AviOrleans.Domain.Tests.Support;

namespace AviOrleans.Domain.Tests;

public sealed class AutoRebalanceTests
{
    /// <summary>Four VSs on two of three SEs (N+M, 4 per SE, buffer 1), auto_rebalance as given.</summary>
    private static GroupScenario Group(bool autoRebalance, Func<ServiceEngineGroup, ServiceEngineGroup>? configure = null)
    {
        var s = GroupScenario.Create(HaMode.Shared, g =>
        {
            g = g with { MaxVsPerSe = 4, BufferSe = 1, AutoRebalance = autoRebalance, AutoRebalanceInterval = 300 };
            return configure is null ? g : configure(g);
        }).WithSes(3).WithVss(4);
        s.Run();
        return s;
    }

    private static List<string> VssOn(GroupScenario s, string se) => [.. s.Vss.Select(v => v.Name).Where(v => s.SesOf(v).Contains(se))];

    private static SeLoadSample Hot(string se, double cpu, params (string Vs, double Percent)[] shares) => new()
    {
        SeRef = se,
        CpuUsage = cpu,
        VsPpsShares = [.. shares.Select(x => new VsPpsShare(x.Vs, x.Percent))],
    };

    private static Dictionary<string, IReadOnlyList<string>> Snapshot(GroupScenario s) => s.Vss.ToDictionary(v => v.Name, v => s.SesOf(v.Name));

    [Fact]
    public void AS31_AutoRebalanceOffHotSe_OnlyAnAlertNothingMoves()
    {
        var s = Group(autoRebalance: false);
        var hot = s.Primary("vs-01")!;
        var before = s.Placement;
        s.Now = GroupScenario.Start.AddSeconds(300);
        s.LoadSamples.Add(Hot(hot, 85, ("vs-01", 90)));

        var result = s.Run();

        Assert.False(result.Changed);
        Assert.Same(before, s.Placement);
        var alert = Assert.Single(result.Events);
        Assert.Equal(HaEventType.SeAutoRebalanceAlert, alert.Type);
        Assert.Equal(hot, alert.SeRef);
        Assert.Contains("auto_rebalance is off", alert.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AS32_AutoRebalanceOnVsAboveSeventyPercentOfPps_ThatVsIsScaledOut()
    {
        var s = Group(autoRebalance: true);
        var hot = s.Primary("vs-01")!;
        var others = VssOn(s, hot).Where(v => v != "vs-01").ToList();
        var before = Snapshot(s);
        s.LoadSamples.Add(Hot(hot, 85, ("vs-01", 75), ("vs-02", 5)));

        var result = s.Run();

        Assert.True(result.Changed);
        Assert.Equal(2, s.SesOf("vs-01").Count);
        Assert.Equal(hot, s.Primary("vs-01"));
        Assert.All(s.Vss.Where(v => v.Name != "vs-01"), v => Assert.Equal(before[v.Name], s.SesOf(v.Name)));
        Assert.All(others, v => Assert.Contains(hot, s.SesOf(v)));
        var done = Assert.Single(result.Events, e => e.Type == HaEventType.RebalanceVsScaleout);
        Assert.Equal("vs-01", done.VsRef);
        Assert.Contains("auto-rebalance", done.Description, StringComparison.Ordinal);
        Assert.Equal(s.Now, s.Placement!.LastAutoRebalanceAt);
    }

    [Fact]
    public void AS32_AutoRebalanceOnNoDominantVs_TheHeaviestVsIsMigrated()
    {
        var s = Group(autoRebalance: true);
        var hot = s.Primary("vs-01")!;
        var onHot = VssOn(s, hot);
        Assert.True(onHot.Count >= 2);
        var heaviest = onHot[1];
        var before = Snapshot(s);
        s.LoadSamples.Add(Hot(hot, 85, (onHot[0], 30), (heaviest, 45)));

        var result = s.Run();

        var started = Assert.Single(result.Events, e => e.Type == HaEventType.VsMigrateStarted);
        Assert.Equal(heaviest, started.VsRef);
        var decided = Assert.Single(result.Events, e => e.Type == HaEventType.RebalanceVsMigrate);
        Assert.Equal(("REBALANCE_VS_MIGRATE", heaviest), (decided.Type.ToAviName(), decided.VsRef));
        Assert.NotEqual(hot, s.Primary(heaviest));
        Assert.Single(s.SesOf(heaviest));
        Assert.Contains(s.Vs(heaviest).SeList, e => e.SeRef == hot && e.DeleteInProgress);
        Assert.All(s.Vss.Where(v => v.Name != heaviest), v => Assert.Equal(before[v.Name], s.SesOf(v.Name)));
    }

    [Fact]
    public void AS32_AutoRebalanceOn_AtMostOneChangePerInterval()
    {
        var s = Group(autoRebalance: true);
        var hot = s.Primary("vs-01")!;
        var onHot = VssOn(s, hot);
        s.LoadSamples.Add(Hot(hot, 85, [.. onHot.Select(v => (v, 100.0 / onHot.Count))]));
        s.Run();
        Assert.Equal(GroupScenario.Start, s.Placement!.LastAutoRebalanceAt);
        var settled = s.Placement;

        s.Now = GroupScenario.Start.AddSeconds(20);
        var within = s.Run();

        Assert.False(within.Changed);
        Assert.Same(settled, s.Placement);
        Assert.Contains(within.Events, e => e.Type == HaEventType.SeAutoRebalanceAlert && e.Description.Contains("one auto-rebalance change per auto_rebalance_interval", StringComparison.Ordinal));

        s.Now = GroupScenario.Start.AddSeconds(300);
        var next = s.Run();

        Assert.Single(next.Events, e => e.Type == HaEventType.VsMigrateStarted);
        Assert.Single(next.Events, e => e.Type == HaEventType.RebalanceVsMigrate);
        Assert.Equal(s.Now, s.Placement!.LastAutoRebalanceAt);
    }

    [Fact]
    public void AS32_LoadBelowMaxCpuUsage_NothingMovesAndNoAlert()
    {
        var s = Group(autoRebalance: true);
        var hot = s.Primary("vs-01")!;
        s.LoadSamples.Add(Hot(hot, 80, ("vs-01", 90)));

        var result = s.Run();

        Assert.False(result.Changed);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void AS32_PpsCriterion_IsJudgedAgainstTheCapacityPerSe()
    {
        var s = Group(autoRebalance: true, g => g with { AutoRebalanceCriteria = [AutoRebalanceCriterion.Pps], AutoRebalanceCapacityPerSe = [1000] });
        var hot = s.Primary("vs-01")!;
        s.LoadSamples.Add(Hot(hot, 10, ("vs-01", 90)) with { Pps = 700 });
        Assert.False(s.Run().Changed);

        s.LoadSamples[0] = s.LoadSamples[0] with { Pps = 900 };
        var result = s.Run();

        Assert.Single(result.Events, e => e.Type == HaEventType.RebalanceVsScaleout && e.VsRef == "vs-01");
    }

    [Fact]
    public void AS32_NonCpuCriterionWithoutCapacity_IsRejected()
    {
        var g = new ServiceEngineGroup { Name = "g", AutoRebalanceCriteria = [AutoRebalanceCriterion.Cpu, AutoRebalanceCriterion.Mbps], AutoRebalanceCapacityPerSe = [0] };

        var violations = ConfigurationValidator.ValidateServiceEngineGroup(g);

        var v = Assert.Single(violations);
        Assert.Equal("serviceenginegroup.auto_rebalance_capacity_per_se[1]", v.FieldPath);
        Assert.Equal("SE_AUTO_REBALANCE_MBPS", AutoRebalanceCriterion.Mbps.ToAviName());
    }
}
