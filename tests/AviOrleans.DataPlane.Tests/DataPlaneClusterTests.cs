using System.Diagnostics;
using System.Net;
using AviOrleans.Domain;
using AviOrleans.Grains;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Grains.DataPlane.Internal;
using AviOrleans.Netlink;
using AviOrleans.Persistence.Leases;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace AviOrleans.DataPlane.Tests;

/// <summary>
/// The data plane in a real Orleans cluster (several silos in one process), each silo an SE host in its own network
/// namespace, the fencing leases on the real PostgreSQL behind one TCP proxy per silo.
/// </summary>
public sealed class DataPlaneClusterTests
{
    private static readonly TimeSpan Window = new DataPlaneOptions().FencingWindow;
    private static readonly TimeSpan Margin = new DataPlaneOptions().FencingMargin;

    [Fact]
    public async Task Orders_OnEachSilo_OwnTheAddressesOnItsOwnHostAndAnnounceThem()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(2);
        using var capture = CaptureOnClient(cluster.Lan);

        var first = await cluster.Ownership(0).ApplyAsync(Order("g1", 1, "192.0.2.100"), Ct);
        var second = await cluster.Ownership(1).ApplyAsync(Order("g2", 1, "192.0.2.101", "2001:db8::101"), Ct);
        var garp0 = capture.WaitFor(f => Frames.IsGratuitousArp(f, IPAddress.Parse("192.0.2.100")), TimeSpan.FromSeconds(10));
        var garp1 = capture.WaitFor(f => Frames.IsGratuitousArp(f, IPAddress.Parse("192.0.2.101")), TimeSpan.FromSeconds(10));

        Assert.True(first.Applied, first.RefusedReason);
        Assert.True(second.Applied, second.RefusedReason);
        Assert.Equal(["192.0.2.100/32"], cluster.Owned(0));
        Assert.Equal(["192.0.2.101/32", "2001:db8::101/128"], cluster.Owned(1).Order(StringComparer.Ordinal));
        Assert.NotNull(garp0);
        Assert.Equal(Lan.HostMac(0), Frames.SourceMac(garp0));
        Assert.NotNull(garp1);
        Assert.Equal(Lan.HostMac(1), Frames.SourceMac(garp1));
    }

    [Fact]
    public async Task Host_LosesTheStoreAndEveryPeer_WithdrawsItsAddressesAndAsksTheGroupWhenTheStoreIsBack()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(2);
        await cluster.Cluster.StopSiloAsync(cluster.Silo(1), Ct);
        // On the host before the cut, or the withdrawal below would be seen at once. A fence before the cut (the host
        // stalled for W) withdraws the VIP, and its lift replaces the order by the group's,
        // which has none: the order is given again, under a newer epoch.
        for (var attempt = 1; ; attempt++)
        {
            var epoch = cluster.Ownership(0).Applied.TryGetValue("g1", out var applied) ? applied.Epoch + 1 : 1;
            await cluster.Ownership(0).ApplyAsync(Order("g1", epoch, "192.0.2.100"), Ct);
            if (await Eventually.WithinAsync(() => cluster.Owned(0).Contains("192.0.2.100/32") && !cluster.Fence(0).State.IsFenced, TimeSpan.FromSeconds(5)))
            {
                break;
            }

            Assert.True(attempt < 5, "the order never put the VIP on the unfenced host");
        }

        await cluster.CutStoreAsync(0);
        var cut = Stopwatch.GetTimestamp();
        await Eventually.TrueAsync(() => cluster.Owned(0).Count == 0, "with neither store nor peers the host withdraws", TimeSpan.FromSeconds(10));
        var withdrawnAfter = Stopwatch.GetElapsedTime(cut);
        // The fence thread publishes its state after it has deleted the addresses (and logged it).
        await Eventually.TrueAsync(() => cluster.Fence(0).State.IsFenced, "the withdrawal is the fence's");
        var fenced = cluster.Fence(0).State;
        await cluster.RestoreStoreAsync(0);
        await Eventually.TrueAsync(() => !cluster.Fence(0).State.IsFenced, "the store renews the lease again and the fence lifts", TimeSpan.FromSeconds(10));
        // The lifted fence asks the group for its current order: group g1 was never configured, so it says nothing
        // is this SE's, and nothing comes back.
        await Eventually.TrueAsync(() => cluster.Ownership(0).Applied["g1"].Addresses.IsEmpty, "the group's answer replaces the recorded order");

        Assert.True(fenced.IsFenced);
        Assert.Contains("fencing window", fenced.Reason, StringComparison.Ordinal);
        // Not a timing target (bench/results/fencing.md has those): a withdrawal is bounded by W after the last
        // renewal plus the fence thread's reaction; anything near seconds means a broken fence.
        Assert.True(withdrawnAfter < Window + TimeSpan.FromSeconds(1), $"withdrawn {withdrawnAfter.TotalMilliseconds:0} ms after the store was cut");
        Assert.Empty(cluster.Owned(0));
    }

    [Fact]
    public async Task GroupOrder_ArrivesWhileTheHostIsFenced_IsAppliedWhenTheStoreLiftsTheFence()
    {
        // One silo, so no peer confirms it: without the store the host fences.
        await using var cluster = await DataPlaneCluster.StartAsync(1);
        var cp = new GrainHaControlPlane(cluster.Cluster.Client);
        var se = DataPlaneCluster.SiloName(0);
        await cp.CreateServiceEngineGroupAsync(new ServiceEngineGroup { Name = "solo", HaMode = HaMode.Shared, MaxSe = 1, BufferSe = 0 }, false, Ct);
        await cp.CreateServiceEngineAsync(new ServiceEngine { Name = se, SeGroupRef = "solo" }, false, Ct);
        await cluster.CutStoreAsync(0);
        await Eventually.TrueAsync(() => cluster.Fence(0).State.IsFenced, "without the store and peers the host fences", TimeSpan.FromSeconds(10));

        // The group places the VIP on the fenced SE and sends the order: nothing may reach the kernel yet.
        await cp.CreateVirtualServiceAsync(new VirtualService { Name = "web", SeGroupRef = "solo", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.100" }] }, false, Ct);
        var primary = (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.PrimarySeRef;
        var addedWhileFenced = new List<string>();
        var until = Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < until && cluster.Fence(0).State.IsFenced)
        {
            addedWhileFenced.AddRange(cluster.Owned(0));
            await Task.Delay(10, Ct);
        }

        var stillFenced = cluster.Fence(0).State.IsFenced;
        await cluster.RestoreStoreAsync(0);
        await Eventually.TrueAsync(() => !cluster.Fence(0).State.IsFenced, "the store acquires the lease again and the fence lifts", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => cluster.Owned(0).Contains("192.0.2.100/32"), "the lifted fence applies the group's order", TimeSpan.FromSeconds(15));

        Assert.Equal(se, primary);
        Assert.True(stillFenced, "the store stayed away while the order was given");
        Assert.Empty(addedWhileFenced);
    }

    [Fact]
    public async Task Failover_ThroughTheHaGrains_TheVipMovesToTheSurvivorAndIsNeverOnBothHosts()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(3);
        var cp = new GrainHaControlPlane(cluster.Cluster.Client);
        await cp.CreateServiceEngineGroupAsync(new ServiceEngineGroup { Name = "pair", HaMode = HaMode.LegacyActiveStandby, MaxSe = 2, BufferSe = 0 }, false, Ct);
        await cp.CreateServiceEngineAsync(new ServiceEngine { Name = DataPlaneCluster.SiloName(1), SeGroupRef = "pair" }, false, Ct);
        await cp.CreateServiceEngineAsync(new ServiceEngine { Name = DataPlaneCluster.SiloName(2), SeGroupRef = "pair" }, false, Ct);
        await cp.CreateVirtualServiceAsync(new VirtualService { Name = "web", SeGroupRef = "pair", Vip = [new Vip { VipId = "0", IpAddress = "192.0.2.200" }] }, false, Ct);
        var primary = (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.PrimarySeRef;
        var dead = primary == DataPlaneCluster.SiloName(1) ? 1 : 2;
        var survivor = 3 - dead;
        await Eventually.TrueAsync(() => cluster.Owned(dead).Contains("192.0.2.200/32"), "the group's order puts the VIP on its primary's host");
        using var capture = CaptureOnClient(cluster.Lan);
        var both = new List<string>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                // Dead host, survivor, dead host again: an address in all three reads was on both hosts at the moment
                // of the survivor's read (one read after the other could straddle a clean handover).
                var onDead = cluster.Owned(dead);
                var onSurvivor = cluster.Owned(survivor);
                var stillOnDead = cluster.Owned(dead);
                if (onDead.Intersect(onSurvivor).Intersect(stillOnDead).Any())
                {
                    both.Add($"{DateTime.UtcNow:HH:mm:ss.fff} dead={string.Join(',', onDead)} survivor={string.Join(',', onSurvivor)}");
                }

                await Task.Delay(2, CancellationToken.None);
            }
        }, CancellationToken.None);

        // The primary's host loses the store and is declared dead (as the datapath heartbeats do on a confirmed
        // suspicion): the group grain fails the VS over through the fenced takeover gate.
        await cluster.CutStoreAsync(dead);
        await cluster.Membership(0).TryKill(cluster.Silo(dead).SiloAddress);
        await Eventually.TrueAsync(() => cluster.Owned(survivor).Contains("192.0.2.200/32"), "the survivor takes the VIP over", TimeSpan.FromSeconds(30));
        var garp = capture.WaitFor(f => Frames.IsGratuitousArp(f, IPAddress.Parse("192.0.2.200")) && Frames.SourceMac(f) == Lan.HostMac(survivor), TimeSpan.FromSeconds(10));
        await sampling.CancelAsync();
        await sampler;

        Assert.True(both.Count == 0, "the VIP was on both hosts: " + string.Join("; ", both));
        Assert.Empty(cluster.Owned(dead));
        Assert.NotNull(garp);
        // A silo told it is dead ends its process; TestCluster's does not, and calls routed to it while it lingers
        // (its store cut) wait out the 30 s response timeout instead of failing at once.
        try
        {
            await cluster.Cluster.KillSiloAsync(cluster.Silo(dead), Ct);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // The silo is gone either way.
        }

        // The failover timeline carries the host's times: kernel add and announcement on the survivor.
        var failover = await WaitForFailoverAsync(cp, "web");
        Assert.NotNull(failover.VipAddedAt);
        Assert.NotNull(failover.AnnouncedAt);
        Assert.True(failover.AnnouncedAt >= failover.VipAddedAt);
        // The VS's own view follows the group's decision.
        await Eventually.TrueAsync(() => WhileTheDeadSiloLeaves(async () => (await cp.GetVirtualServicePlacementAsync("web", Ct)).Placement.PrimarySeRef == DataPlaneCluster.SiloName(survivor)), "the VS reports the survivor as its primary");
    }

    [Fact]
    public async Task StoreAwayFromEveryone_PeerConfirmationsKeepEveryAddressWhereItIs()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(3);
        for (var i = 0; i < 3; i++)
        {
            await cluster.Ownership(i).ApplyAsync(Order("g" + i, 1, "192.0.2.10" + i), Ct);
        }

        for (var i = 0; i < 3; i++)
        {
            await cluster.CutStoreAsync(i);
        }

        // Ten fencing windows without the store, every host sampled every 10 ms.
        var missing = new List<string>();
        var until = Stopwatch.GetTimestamp() + (long)(Window.TotalSeconds * 10 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            for (var i = 0; i < 3; i++)
            {
                if (cluster.Owned(i).Count != 1 || cluster.Fence(i).State.IsFenced)
                {
                    missing.Add($"host {i} at {Stopwatch.GetElapsedTime(until).TotalMilliseconds:0} ms: fenced={cluster.Fence(i).State.IsFenced}");
                }
            }

            await Task.Delay(10, Ct);
        }

        for (var i = 0; i < 3; i++)
        {
            await cluster.RestoreStoreAsync(i);
        }

        Assert.Empty(missing);
        await Task.Delay(Window * 2, Ct);
        Assert.All(Enumerable.Range(0, 3), i => Assert.False(cluster.Fence(i).State.IsFenced));
    }

    [Fact]
    public async Task Gate_DeadSe_OpensOnlyAfterItsWindowRanOutAndItHasWithdrawn()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(3);
        await cluster.Ownership(2).ApplyAsync(Order("g1", 1, "192.0.2.102"), Ct);
        var dead = cluster.Silo(2).SiloAddress;
        // The SE loses the store (peers still confirm it: it keeps its address legitimately), then is declared dead.
        await cluster.CutStoreAsync(2);
        var cut = Stopwatch.GetTimestamp();
        await cluster.Membership(0).TryKill(dead);
        var lastOwned = Stopwatch.GetTimestamp();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                if (cluster.Owned(2).Count > 0)
                {
                    Volatile.Write(ref lastOwned, Stopwatch.GetTimestamp());
                }

                await Task.Delay(2, CancellationToken.None);
            }
        }, CancellationToken.None);

        await cluster.Gate(0).WaitUntilFencedAsync(DataPlaneCluster.SiloName(2), Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var opened = Stopwatch.GetTimestamp();
        await sampling.CancelAsync();
        await sampler;
        var lease = await cluster.Leases.ReadAsync(SiloLeases.NameOf(dead), Ct);

        Assert.True(Volatile.Read(ref lastOwned) < opened, "the dead SE's address was gone before the gate opened");
        Assert.Empty(cluster.Owned(2));
        Assert.True(Stopwatch.GetElapsedTime(cut, opened) >= Window, "the gate waited at least the dead SE's fencing window");
        Assert.NotNull(lease);
        Assert.True(lease.IsRevoked, "the gate revoked the dead generation's lease");
        Assert.StartsWith("gate:", lease.RevokedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_StoreUnreachable_ThrowsAndNothingMoves()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(2);
        await cluster.Ownership(1).ApplyAsync(Order("g1", 1, "192.0.2.101"), Ct);
        var dead = cluster.Silo(1).SiloAddress;
        await cluster.Membership(0).TryKill(dead);
        await Eventually.TrueAsync(() => cluster.Membership(0).CurrentSnapshot.GetSiloStatus(dead) == SiloStatus.Dead, "the kill reaches the table");

        await cluster.CutStoreAsync(0);
        var failure = await Assert.ThrowsAsync<TakeoverGateUnavailableException>(() => cluster.Gate(0).WaitUntilFencedAsync(DataPlaneCluster.SiloName(1), Ct));

        Assert.Contains("lease store could not be read", failure.Message, StringComparison.Ordinal);
        await cluster.RestoreStoreAsync(0);
        var lease = await cluster.Leases.ReadAsync(SiloLeases.NameOf(dead), Ct);
        // The declared-dead silo itself may have revoked its lease after withdrawing ("self:"); no gate did.
        Assert.False(lease!.RevokedBy?.StartsWith("gate:", StringComparison.Ordinal) == true, "the gate revoked nothing while its store was away");
    }

    [Fact]
    public async Task Gate_SeStoppedGracefully_RevokedItsOwnLeaseAfterWithdrawing()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(2);
        await cluster.Ownership(1).ApplyAsync(Order("g1", 1, "192.0.2.101"), Ct);
        var stopped = cluster.Silo(1).SiloAddress;

        await cluster.Cluster.StopSiloAsync(cluster.Silo(1), Ct);
        var owned = cluster.Owned(1);
        var lease = await cluster.Leases.ReadAsync(SiloLeases.NameOf(stopped), Ct);
        await cluster.Gate(0).WaitUntilFencedAsync(DataPlaneCluster.SiloName(1), Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Empty(owned);
        Assert.NotNull(lease);
        Assert.True(lease.IsRevoked);
        Assert.StartsWith("self:", lease.RevokedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclaredDead_WhileItStillReachesTheStore_WithdrawsForGoodThenRevokesItsOwnLease()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(2);
        await cluster.Ownership(1).ApplyAsync(Order("g1", 1, "192.0.2.101"), Ct);
        var declared = cluster.Silo(1).SiloAddress;
        Assert.Single(cluster.Owned(1));

        await cluster.Membership(0).TryKill(declared);
        Lease? lease = null;
        await Eventually.TrueAsync(async () => (lease = await cluster.Leases.ReadAsync(SiloLeases.NameOf(declared), Ct))?.IsRevoked == true, "the declared-dead silo revokes its own lease");
        var ownedAfterRevoke = cluster.Owned(1);
        await cluster.Gate(0).WaitUntilFencedAsync(DataPlaneCluster.SiloName(1), Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var refused = await cluster.Ownership(1).ApplyAsync(Order("g1", 2, "192.0.2.101", "192.0.2.111"), Ct);

        Assert.Empty(ownedAfterRevoke);
        Assert.StartsWith("self:", lease!.RevokedBy, StringComparison.Ordinal);
        Assert.True(cluster.Fence(1).State.IsFenced);
        Assert.False(refused.Applied, "a silo fenced for good adds nothing again");
        Assert.Empty(cluster.Owned(1));
    }

    [Fact]
    public async Task Gate_SeThatNeverJoined_OpensAtOnce()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(1);

        await cluster.Gate(0).WaitUntilFencedAsync("no-such-se", Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task Guard_RunsBesideEachSilo_AndIsStoppedWithIt()
    {
        await using var cluster = await DataPlaneCluster.StartAsync(1, guard: true);
        var guard = cluster.Services(0).GetRequiredService<GuardConnection>().ProcessId;
        Assert.NotNull(guard);
        Assert.True(File.Exists($"/proc/{guard}/status"), "the guard process runs");

        await cluster.Cluster.StopSiloAsync(cluster.Silo(0), Ct);

        await Eventually.TrueAsync(() => !File.Exists($"/proc/{guard}/status"), "the guard is killed when its silo stops");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<PlacementRecord> WaitForFailoverAsync(GrainHaControlPlane cp, string vs)
    {
        PlacementRecord? record = null;
        await Eventually.TrueAsync(() => WhileTheDeadSiloLeaves(async () => (record = (await cp.GetPlacementHistoryAsync(vs, Ct)).LastOrDefault(r => r.IsFailover && r.VipAddedAt is not null)) is not null), "the failover timeline is closed with the host's times");
        return record!;
    }

    // A call routed to the silo declared dead while it shuts down fails with SiloUnavailableException, or gets no
    // answer when the silo is killed with the call in flight: asked again, the grain answers from a survivor.
    private static async Task<bool> WhileTheDeadSiloLeaves(Func<Task<bool>> condition)
    {
        try
        {
            return await condition();
        }
        catch (Exception ex) when (ex is SiloUnavailableException or TimeoutException)
        {
            return false;
        }
    }

    private static OwnershipOrder Order(string group, long epoch, params string[] addresses) =>
        new(group, epoch, [.. addresses.Select(a => new OwnedAddress(a, a.Contains(':', StringComparison.Ordinal) ? 128 : 32, OwnedAddressKind.Vip, "vs-" + a))]);

    private static PacketReceiver CaptureOnClient(Lan lan)
    {
        using var client = NetlinkRouteClient.Open(lan.Client);
        return PacketReceiver.Open(client.GetLink(Lan.HostInterface), PacketReceiver.AllProtocols, lan.Client);
    }
}
