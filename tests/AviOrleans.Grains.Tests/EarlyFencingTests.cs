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
/// same pass: the gate is asked once per death, before the failover is decided, and again when a new generation of the
/// same SE dies (a pass judges only the silos it saw). Silos as in MembershipFailoverTests (Primary hosts the test
/// cluster's table; the SEs are the secondaries), every gate call recorded.
/// </summary>
public sealed class EarlyFencingTests : IAsyncLifetime
{
    private readonly Build _b = new();
    private HaTestCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await HaTestCluster.StartWithMembershipAsync<CountingGateSilo>(4);

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

    [Fact]
    public async Task SeDiesAgainAsANewGeneration_ThePassLeftFromItsFirstDeathIsReplaced_TheGateIsAskedAtTheSecond()
    {
        // An N+M group of three SEs and one VS: the SE that dies twice holds nothing and is not the group's home, so no
        // drive awaits the pass started at its first death, and the group's activation lives through both deaths.
        var cp = _cluster.ControlPlane;
        string[] engines = ["Secondary_1", "Secondary_2", "Secondary_3"];
        await cp.CreateServiceEngineGroupAsync(_b.Group("nm") with { MaxSe = 3, BufferSe = 1 }, false, Ct);
        foreach (var name in engines)
        {
            await cp.CreateServiceEngineAsync(new ServiceEngine { Name = name, SeGroupRef = _b.N("nm") }, false, Ct);
        }

        // Only the death of an SE that is up is a change the group acts on: each is up once the group has seen its silo.
        foreach (var name in engines)
        {
            await ControlPlaneTests.WaitForAsync(async () => (await cp.GetServiceEngineAsync(name, Ct)).OperState == OperState.Up ? "up" : null);
        }

        await cp.CreateVirtualServiceAsync(_b.Vs("web", "nm", Ip()), false, Ct);
        var active = (await cp.GetVirtualServicePlacementAsync(_b.N("web"), Ct)).Placement.PrimarySeRef!;
        var idle = engines.Where(e => e != active).ToArray();
        var groupGrain = _cluster.Client.GetGrain<IServiceEngineGroupGrain>(_b.N("nm"));

        // The group moves to an SE with the fewest active placements, and stays on either idle SE once there.
        var home = await ControlPlaneTests.WaitForAsync(async () =>
        {
            var silos = idle.Select(e => _cluster.Cluster.Silos.Single(s => s.Name == e).SiloAddress).ToArray();
            var where = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics(null, silos, Ct);
            return where.FirstOrDefault(g => g.GrainId == groupGrain.GetGrainId())?.SiloAddress is { } silo
                ? _cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(silo)).Name
                : null;
        });
        var twice = idle.Single(e => e != home);
        await groupGrain.GetPlacementAsync();

        // TestCluster stops a killed silo through its lifecycle, so its graceful hand-off may reach the group before the
        // group's view of the death: the SE then leaves (Inactive) and no gate is asked. Such a death leaves no pass;
        // the SE comes back and dies again until two deaths in a row were deaths to the group.
        var silo = _cluster.Cluster.Silos.Single(s => s.Name == twice);
        var passLeft = false;
        for (var death = 1; ; death++)
        {
            Assert.True(death <= 8, "in eight deaths of the SE, no two in a row were deaths to its group");
            var asked = AskedFor(twice);
            await KillAsync(silo);
            var how = await ControlPlaneTests.WaitForAsync(async () =>
                AskedFor(twice) > asked ? "asked" : (await cp.GetServiceEngineAsync(twice, Ct)).OperState == OperState.Inactive ? "handed off" : null,
                TimeSpan.FromSeconds(30));

            // Asked at this death, although the pass from the previous generation's death is still kept: the rule.
            if (how == "asked" && passLeft)
            {
                break;
            }

            passLeft = how == "asked";
            // The same SE comes back as a new generation (a new silo of the same name) and is up in the group again.
            silo = await _cluster.Cluster.StartSiloAsync(silo.InstanceNumber, _cluster.Cluster.Options, configurationOverrides: null, startSiloOnNewPort: true, cancellationToken: Ct);
            await ControlPlaneTests.WaitForAsync(async () => (await cp.GetServiceEngineAsync(twice, Ct)).OperState == OperState.Up ? "up again" : null, TimeSpan.FromSeconds(30));
        }
    }

    private static int AskedFor(string se) => CountingGate.Calls.Count(c => c.Se == se);

    private async Task KillAsync(SiloHandle silo)
    {
        Assert.True(await HaTestCluster.MembershipOf(_cluster.Cluster.Primary!).TryKill(silo.SiloAddress));
        try
        {
            // As in the test above: TestCluster's silo does not end itself when told it is dead.
            await _cluster.Cluster.KillSiloAsync(silo, Ct);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // The silo is gone either way.
        }
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
