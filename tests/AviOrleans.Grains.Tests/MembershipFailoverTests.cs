using AviOrleans.Domain;
using Orleans.Runtime;
using static AviOrleans.Grains.Tests.Build;

namespace AviOrleans.Grains.Tests;

/// <summary>
/// Silos that are SEs (TestCluster names them Primary, Secondary_1, ...): Orleans membership is the
/// SEs' liveness, the SE grain runs on its own silo, and every order a host applies is recorded.
/// A cluster per test, since tests stop silos. Primary hosts the test cluster's membership table,
/// so the SEs under test are the secondaries.
/// </summary>
public sealed class MembershipFailoverTests : IAsyncLifetime
{
    private readonly Build _b = new();
    private HaTestCluster _cluster = null!;

    private GrainHaControlPlane Cp => _cluster.ControlPlane;

    public async ValueTask InitializeAsync() => _cluster = await HaTestCluster.StartWithMembershipAsync(3);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task ServiceEngineGrain_RunsOnlyOnItsOwnSilo()
    {
        var report = await _cluster.Client.GetGrain<IServiceEngineGrain>("Secondary_1").GetReportAsync();
        var ex = await Assert.ThrowsAsync<ServiceEngineUnavailableException>(() => _cluster.Client.GetGrain<IServiceEngineGrain>("no-such-host").GetReportAsync());

        Assert.Equal("Secondary_1", report.SiloName);
        Assert.Contains("no silo of that name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeDeath_SurvivorTakesTheVipOnlyAfterTheFencingWindow()
    {
        var vip = await LegacyPairWithVsAsync();
        var dead = await PrimaryOfAsync();
        var survivor = dead == "Secondary_1" ? "Secondary_2" : "Secondary_1";

        // A crash, as the host's guard or the data plane's heartbeats report it: the silo is declared
        // dead without leaving by itself (TestCluster's KillSiloAsync would stop it gracefully, and a
        // graceful stop hands off with the old owner's own acknowledgement, needing no fence).
        var victim = _cluster.Cluster.Silos.Single(s => s.Name == dead);
        var killing = TimeProvider.System.GetUtcNow();
        Assert.True(await HaTestCluster.MembershipOf(_cluster.Cluster.Primary!).TryKill(victim.SiloAddress));
        var taken = await WaitForAsync(() => RecordingVipOwnership.Of(_b.N("pair")).FirstOrDefault(o => o.Silo == survivor && o.Holds(vip)));

        // A silo told it is dead ends its process (Orleans' FailFast); TestCluster replaces that
        // handler, so end it here, or it keeps answering the client with what it had.
        try
        {
            await _cluster.Cluster.KillSiloAsync(victim, Ct);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // An ungraceful stop is a cancelled one: on a loaded machine Orleans' Silo.StopAsync can surface that
            // cancellation after the silo has stopped. The silo is gone either way, which is all this step needs.
        }

        var placement = await Cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct);
        var failover = await ControlPlaneTests.WaitForAsync(async () => (await Cp.GetPlacementHistoryAsync(_b.N("web"), Ct)).LastOrDefault(r => r.IsFailover));

        Assert.Equal(survivor, placement.Placement.PrimarySeRef);
        Assert.Equal(placement.Placement.Epoch, taken.Order.Epoch);
        Assert.Equal((dead, survivor), (failover.FromSeRef, failover.ToSeRef));
        Assert.NotNull(failover.DeclaredDeadAt);
        // The gate counts the window from the moment it saw the SE dead, which is after the kill (the record's
        // declared-dead time is when a report reached the group, which may come a few milliseconds after the gate saw it).
        Assert.True(taken.At - killing >= TimeSpan.FromMilliseconds(200), $"taken {taken.At:O}, kill requested {killing:O}, declared dead {failover.DeclaredDeadAt:O}");
        Assert.Equal("SE_DOWN", failover.Cause);
    }

    [Fact]
    public async Task Group_LivesOnTheStandbysSilo_AndDecidesTheActivesFailoverThere()
    {
        var vip = await LegacyPairWithVsAsync();
        var dead = await PrimaryOfAsync();
        var survivor = dead == "Secondary_1" ? "Secondary_2" : "Secondary_1";
        var survivorSilo = _cluster.Cluster.Silos.Single(s => s.Name == survivor).SiloAddress;
        var group = _cluster.Client.GetGrain<IServiceEngineGroupGrain>(_b.N("pair")).GetGrainId();

        // Steady, the group moves off the active's silo to the standby's: the SE that fails first is not its host.
        await ControlPlaneTests.WaitForAsync(async () => await ActivationsOnAsync(survivorSilo, group) == 1 ? "moved" : null);

        var victim = _cluster.Cluster.Silos.Single(s => s.Name == dead);
        Assert.True(await HaTestCluster.MembershipOf(_cluster.Cluster.Primary!).TryKill(victim.SiloAddress));
        await WaitForAsync(() => RecordingVipOwnership.Of(_b.N("pair")).FirstOrDefault(o => o.Silo == survivor && o.Holds(vip)));
        try
        {
            await _cluster.Cluster.KillSiloAsync(victim, Ct);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // As in SeDeath_SurvivorTakesTheVipOnlyAfterTheFencingWindow: the silo is gone either way.
        }

        var failover = await ControlPlaneTests.WaitForAsync(async () => (await Cp.GetPlacementHistoryAsync(_b.N("web"), Ct)).LastOrDefault(r => r.IsFailover));
        Assert.Equal((dead, survivor), (failover.FromSeRef, failover.ToSeRef));
        Assert.Equal(survivor, (await Cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef);

        // It decided there and is still there, once in the whole cluster.
        Assert.Equal(1, await ActivationsOnAsync(survivorSilo, group));
        Assert.Equal(1, await ActivationsOnAsync(null, group));
    }

    /// <summary>How many activations of <paramref name="grain"/> the silos (all, or <paramref name="silo"/>) hold, as
    /// each silo itself says (a directory lookup may answer from a cache).</summary>
    private async Task<int> ActivationsOnAsync(SiloAddress? silo, GrainId grain)
    {
        var statistics = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(null, silo is null ? null : [silo], Ct);
        return statistics.Count(s => s.GrainId == grain);
    }

    [Fact]
    public async Task Switchover_OldOwnerRemovesTheVipBeforeTheNewOwnerAddsIt()
    {
        var vip = await LegacyPairWithVsAsync();
        var from = await PrimaryOfAsync();
        var start = RecordingVipOwnership.Log.Count;

        await Cp.RequestAsync(_b.N("pair"), new VsSwitchoverRequest { VsRef = _b.N("web") }, Ct);
        var to = await PrimaryOfAsync();
        var added = await WaitForAsync(() => RecordingVipOwnership.Of(_b.N("pair")).FirstOrDefault(o => o.Silo == to && o.Holds(vip) && o.Ack.Outcomes.Any(a => a.Address == vip && a.Action == AddressAction.Added)));
        var removed = RecordingVipOwnership.Of(_b.N("pair")).Single(o => o.Silo == from && o.Removed(vip));

        Assert.NotEqual(from, to);
        Assert.True(removed.Sequence < added.Sequence, "the new owner added the VIP before the old one removed it");
        Assert.Equal(removed.Order.Epoch, added.Order.Epoch);
    }

    [Fact]
    public async Task GracefulStop_ActivesHandedToThePeerBeforeTheSiloLeaves()
    {
        var vip = await LegacyPairWithVsAsync();
        var leaving = await PrimaryOfAsync();
        var peer = leaving == "Secondary_1" ? "Secondary_2" : "Secondary_1";

        await _cluster.Cluster.StopSiloAsync(_cluster.Cluster.Silos.Single(s => s.Name == leaving), Ct);
        var orders = RecordingVipOwnership.Of(_b.N("pair"));
        var removed = orders.Single(o => o.Silo == leaving && o.Removed(vip));
        var taken = orders.First(o => o.Silo == peer && o.Holds(vip));

        // The leaving silo itself acknowledged the removal: the hand-off ran while it was still up.
        Assert.True(removed.Sequence < taken.Sequence);
        Assert.Equal(peer, await PrimaryOfAsync());
    }

    [Fact]
    public async Task SeJoin_AnSeWithoutASiloIsDownUntilItsSiloJoins()
    {
        await Cp.CreateServiceEngineGroupAsync(_b.Group("nm") with { BufferSe = 0 }, false, Ct);
        await Cp.CreateServiceEngineAsync(new ServiceEngine { Name = "Secondary_3", SeGroupRef = _b.N("nm") }, false, Ct);
        await Cp.CreateVirtualServiceAsync(_b.Vs("web", "nm"), false, Ct);
        Assert.Equal(OperState.Down, (await Cp.GetServiceEngineAsync("Secondary_3", Ct)).OperState);
        Assert.Null((await Cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef);

        var silo = await _cluster.Cluster.StartAdditionalSiloAsync();
        Assert.Equal("Secondary_3", silo.Name);

        var placed = await ControlPlaneTests.WaitForAsync(async () => (await Cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef);
        Assert.Equal("Secondary_3", placed);
        Assert.Equal(OperState.Up, (await Cp.GetServiceEngineAsync("Secondary_3", Ct)).OperState);
    }

    private async Task<string> LegacyPairWithVsAsync()
    {
        await Cp.CreateServiceEngineGroupAsync(_b.Group("pair", HaMode.LegacyActiveStandby) with { MaxSe = 2, BufferSe = 0 }, false, Ct);
        await Cp.CreateServiceEngineAsync(new ServiceEngine { Name = "Secondary_1", SeGroupRef = _b.N("pair") }, false, Ct);
        await Cp.CreateServiceEngineAsync(new ServiceEngine { Name = "Secondary_2", SeGroupRef = _b.N("pair") }, false, Ct);
        var vip = Ip();
        await Cp.CreateVirtualServiceAsync(_b.Vs("web", "pair", vip), false, Ct);
        var primary = await PrimaryOfAsync();
        await WaitForAsync(() => RecordingVipOwnership.Of(_b.N("pair")).FirstOrDefault(o => o.Silo == primary && o.Holds(vip)));
        return vip;
    }

    private async Task<string> PrimaryOfAsync() =>
        (await Cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef ?? throw new InvalidOperationException("web is not placed");

    private static async Task<T> WaitForAsync<T>(Func<T?> read)
        where T : class =>
        await ControlPlaneTests.WaitForAsync(() => Task.FromResult(read()));
}
