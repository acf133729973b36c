using AviOrleans.Domain;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using static AviOrleans.Grains.Tests.Build;

namespace AviOrleans.Grains.Tests;

/// <summary>
/// A rolling upgrade is the cluster's, not its caller's: its grain's silo stops half-way, nobody calls it, and its
/// reminder wakes it on another silo, where it goes on from its last written step to the end. Three silos (the test
/// cluster's Primary holds its membership table), reminders every 2 s.
/// </summary>
public sealed class UpgradeDurabilityTests : IAsyncLifetime
{
    private readonly Build _b = new();
    private HaTestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await HaTestCluster.StartConfiguredAsync<QuickReminders>(3);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Upgrade_ItsSiloStopsHalfWay_AnotherSiloFinishesIt_WithNobodyCalling()
    {
        var cp = _cluster.ControlPlane;
        // Each SE's virtual services drain for 2 s before it restarts: the upgrade is still running when its silo stops.
        await cp.CreateServiceEngineGroupAsync(_b.Group("nm") with { BufferSe = 0, VsScaleinTimeout = 0, VsScaleinTimeoutForUpgrade = 2 }, false, Ct);
        await cp.CreateServiceEngineAsync(_b.Engine("se-1", "nm"), false, Ct);
        await cp.CreateServiceEngineAsync(_b.Engine("se-2", "nm"), false, Ct);
        await cp.CreateVirtualServiceAsync(_b.Vs("web", "nm"), false, Ct);
        await cp.CreateVirtualServiceAsync(_b.Vs("api", "nm"), false, Ct);

        // The silo to stop: a secondary that does not hold the in-memory reminder table (a grain too). The upgrade is
        // placed there by a placement hint on the call that activates it.
        var victim = await SecondaryWithoutAsync("ReminderTable");
        var upgrade = _cluster.Client.GetGrain<IGroupUpgradeGrain>(_b.N("nm"));
        RequestContext.Set(IPlacementDirector.PlacementHintKey, victim.SiloAddress);
        var run = await upgrade.StartAsync(new SeUpgradeParams { TargetVersion = "2" });
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        Assert.Equal(1, await ActivationsOnAsync(victim.SiloAddress, upgrade.GetGrainId()));

        await _cluster.Cluster.StopSiloAsync(victim, Ct);

        // Nobody calls the upgrade grain: only the group is read, until every SE runs the new version again.
        await ControlPlaneTests.WaitForAsync(
            async () => (await cp.ListServiceEnginesAsync(_b.N("nm"), Ct)).All(se => se.Version == "2" && se.EnableState == SeEnableState.Enabled && se.OperState == OperState.Up) ? "upgraded" : null,
            TimeSpan.FromSeconds(60));

        // Its last step (the planner finding nothing left) follows the last SE's enable.
        var page = await ControlPlaneTests.WaitForAsync(async () => await upgrade.ReadAsync(run, 0, TimeSpan.Zero) is { Ended: true } ended ? ended : null);
        Assert.Equal(UpgradeReportKind.Completed, page.Reports[^1].Kind);
        Assert.Single(page.Reports, r => r.Kind == UpgradeReportKind.Started);
        Assert.Equal([_b.N("se-1"), _b.N("se-2")], page.Reports.Where(r => r.Kind == UpgradeReportKind.SeDone).Select(r => r.SeRef!).Order(StringComparer.Ordinal));
        Assert.Equal(1, await ActivationsOnAsync(null, upgrade.GetGrainId()));
        foreach (var vs in new[] { "web", "api" })
        {
            Assert.NotNull((await cp.GetVirtualServicePlacementAsync(_b.N(vs), Ct)).Placement.PrimarySeRef);
        }
    }

    private async Task<SiloHandle> SecondaryWithoutAsync(string grainType)
    {
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        foreach (var silo in _cluster.Cluster.SecondarySilos)
        {
            var statistics = await management.GetDetailedGrainStatistics(null, [silo.SiloAddress], Ct);
            if (!statistics.Any(s => s.GrainType.Contains(grainType, StringComparison.Ordinal)))
            {
                return silo;
            }
        }

        throw new InvalidOperationException($"Every secondary holds a {grainType} grain.");
    }

    private async Task<int> ActivationsOnAsync(SiloAddress? silo, GrainId grain)
    {
        var statistics = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(null, silo is null ? null : [silo], Ct);
        return statistics.Count(s => s.GrainId == grain);
    }

    private sealed class QuickReminders : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            siloBuilder.Services.Configure<AviGrainsOptions>(o => o.UpgradeReminderPeriod = TimeSpan.FromSeconds(2));
        }
    }
}
