using System.Collections.Concurrent;
using AviOrleans.Domain;
using AviOrleans.Grains.DataPlane;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;
using static AviOrleans.Grains.Tests.Build;

namespace AviOrleans.Grains.Tests;

/// <summary>
/// A reported death starts the dead SE's takeover gate at once, and the drive that moves its addresses awaits that
/// same pass: the gate is asked once per death, before the failover is decided. Silos as in MembershipFailoverTests
/// (Primary hosts the test cluster's table; the SEs are the secondaries), every gate call recorded.
/// </summary>
public sealed class EarlyFencingTests : IAsyncLifetime
{
    private readonly Build _b = new();
    private HaTestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await HaTestCluster.StartWithMembershipAsync<CountingGateSilo>(3);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task SeDeath_TheGateIsAskedOnce_BeforeTheFailoverIsWritten()
    {
        var cp = _cluster.ControlPlane;
        await cp.CreateServiceEngineGroupAsync(_b.Group("pair", HaMode.LegacyActiveStandby) with { MaxSe = 2, BufferSe = 0 }, false, Ct);
        await cp.CreateServiceEngineAsync(new ServiceEngine { Name = "Secondary_1", SeGroupRef = _b.N("pair") }, false, Ct);
        await cp.CreateServiceEngineAsync(new ServiceEngine { Name = "Secondary_2", SeGroupRef = _b.N("pair") }, false, Ct);
        var vip = Ip();
        await cp.CreateVirtualServiceAsync(_b.Vs("web", "pair", vip), false, Ct);
        var dead = (await cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef!;
        var survivor = dead == "Secondary_1" ? "Secondary_2" : "Secondary_1";
        await ControlPlaneTests.WaitForAsync(() => Task.FromResult(RecordingVipOwnership.Of(_b.N("pair")).FirstOrDefault(o => o.Silo == dead && o.Holds(vip))));

        // The group decides on the standby's silo once steady; a call after it moved there lets the migrated activation
        // finish activating (it learns who holds what, asking the gate for any SE it cannot reach) before the kill.
        var groupGrain = _cluster.Client.GetGrain<IServiceEngineGroupGrain>(_b.N("pair"));
        var survivorSilo = _cluster.Cluster.Silos.Single(s => s.Name == survivor).SiloAddress;
        await ControlPlaneTests.WaitForAsync(async () =>
            (await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(null, [survivorSilo], Ct)).Any(g => g.GrainId == groupGrain.GetGrainId()) ? "home" : null);
        await groupGrain.GetPlacementAsync();
        var before = CountingGate.Calls.Count(c => c.Se == dead);

        var victim = _cluster.Cluster.Silos.Single(s => s.Name == dead);
        Assert.True(await HaTestCluster.MembershipOf(_cluster.Cluster.Primary!).TryKill(victim.SiloAddress));
        await ControlPlaneTests.WaitForAsync(() => Task.FromResult(RecordingVipOwnership.Of(_b.N("pair")).FirstOrDefault(o => o.Silo == survivor && o.Holds(vip))));

        // A silo told it is dead would end its process; TestCluster's does not, so end it before reading the history
        // (as in MembershipFailoverTests, or it answers with what it had).
        try
        {
            await _cluster.Cluster.KillSiloAsync(victim, Ct);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // As in MembershipFailoverTests: the silo is gone either way.
        }

        var failover = await ControlPlaneTests.WaitForAsync(async () => (await cp.GetPlacementHistoryAsync(_b.N("web"), Ct)).LastOrDefault(r => r.IsFailover));

        var asked = CountingGate.Calls.Where(c => c.Se == dead).Skip(before).ToList();
        Assert.Single(asked);
        Assert.True(asked[0].At <= failover.DecidedAt, $"gate asked {asked[0].At:O}, failover decided {failover.DecidedAt:O}");
    }

    private sealed class CountingGateSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.AddSingleton<ITakeoverGate>(sp => new CountingGate(ActivatorUtilities.CreateInstance<MembershipTakeoverGate>(sp)));
    }

    /// <summary>The membership gate, each call recorded (every silo of every cluster of this class, in this process).</summary>
    private sealed class CountingGate(ITakeoverGate inner) : ITakeoverGate
    {
        public static ConcurrentQueue<(string Se, DateTimeOffset At)> Calls { get; } = new();

        public Task WaitUntilFencedAsync(string seName, CancellationToken cancellationToken)
        {
            Calls.Enqueue((seName, TimeProvider.System.GetUtcNow()));
            return inner.WaitUntilFencedAsync(seName, cancellationToken);
        }
    }
}
