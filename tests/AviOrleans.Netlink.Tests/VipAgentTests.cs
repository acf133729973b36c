using System.Net;
using AviOrleans.Netlink.Agent;
using Microsoft.Extensions.Time.Testing;

namespace AviOrleans.Netlink.Tests;

/// <summary>The agent's rules against an in-memory host and a manual clock.</summary>
public sealed class VipAgentTests
{
    private const byte Mark = 0xA5;

    [Fact]
    public async Task Start_PredecessorLeftMarkedVips_RemovesThemAndKeepsUnmarked()
    {
        var host = new FakeHostNetwork("eth0");
        host.Configure("192.0.2.10", 32, "eth0", Mark);
        host.Configure("2001:db8::10", 128, "eth0", Mark);
        host.Configure("192.0.2.1", 24, "eth0", 0);
        host.Configure("192.0.2.11", 32, "eth0", 4);
        await using var agent = NewAgent(host, new FakeTimeProvider());

        await agent.StartAsync(TestContext.Current.CancellationToken);

        Assert.False(host.Has("192.0.2.10", Mark));
        Assert.False(host.Has("2001:db8::10", Mark));
        Assert.True(host.Has("192.0.2.1", 0));
        Assert.True(host.Has("192.0.2.11", 4));
        Assert.Empty(agent.Snapshot.OwnedAddresses);
    }

    [Fact]
    public async Task Apply_NewOrder_AddsMarkedVipsAndAnnouncesThem()
    {
        var host = new FakeHostNetwork("eth0");
        await using var agent = await StartedAgentAsync(host);

        var result = await agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10", "2001:db8::10"), TestContext.Current.CancellationToken);

        Assert.Equal(VipOrderOutcome.Applied, result.Outcome);
        Assert.All(result.Vips, v => Assert.Equal(VipState.Owned, v.State));
        Assert.True(host.Has("192.0.2.10", Mark));
        Assert.True(host.Has("2001:db8::10", Mark));
        Assert.Contains(("eth0", IPAddress.Parse("192.0.2.10")), host.Announcements);
        Assert.Contains(("eth0", IPAddress.Parse("2001:db8::10")), host.Announcements);
        Assert.Equal(2, agent.Snapshot.OwnedAddresses.Count);
    }

    [Fact]
    public async Task Apply_OlderEpoch_RejectedAndNothingChanges()
    {
        var host = new FakeHostNetwork("eth0");
        await using var agent = await StartedAgentAsync(host);
        await agent.ApplyAsync(Order("vs-1", 5, "192.0.2.10"), TestContext.Current.CancellationToken);

        var stale = await agent.ApplyAsync(Order("vs-1", 4, "192.0.2.99"), TestContext.Current.CancellationToken);
        var same = await agent.ApplyAsync(Order("vs-1", 5, "192.0.2.10"), TestContext.Current.CancellationToken);
        var otherService = await agent.ApplyAsync(Order("vs-2", 1, "192.0.2.20"), TestContext.Current.CancellationToken);

        Assert.Equal(VipOrderOutcome.RejectedStaleEpoch, stale.Outcome);
        Assert.Equal(5, stale.LastAppliedEpoch);
        Assert.False(host.Has("192.0.2.99", Mark));
        Assert.True(host.Has("192.0.2.10", Mark));
        Assert.Equal(VipOrderOutcome.Applied, same.Outcome);
        Assert.Equal(VipOrderOutcome.Applied, otherService.Outcome);
    }

    [Fact]
    public async Task Apply_NewerOrderWithOtherVips_RemovesOnlyTheVipsNoLongerWanted()
    {
        var host = new FakeHostNetwork("eth0");
        await using var agent = await StartedAgentAsync(host);
        await agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10", "192.0.2.11"), TestContext.Current.CancellationToken);
        await agent.ApplyAsync(Order("vs-2", 1, "192.0.2.20"), TestContext.Current.CancellationToken);

        await agent.ApplyAsync(Order("vs-1", 2, "192.0.2.11", "192.0.2.12"), TestContext.Current.CancellationToken);
        await agent.ApplyAsync(Order("vs-2", 2), TestContext.Current.CancellationToken);

        Assert.False(host.Has("192.0.2.10", Mark));
        Assert.True(host.Has("192.0.2.11", Mark));
        Assert.True(host.Has("192.0.2.12", Mark));
        Assert.False(host.Has("192.0.2.20", Mark));
    }

    [Fact]
    public async Task Apply_VipWantedByAnotherService_ThrowsConflictAndChangesNothing()
    {
        var host = new FakeHostNetwork("eth0");
        await using var agent = await StartedAgentAsync(host);
        await agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10"), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<VipConflictException>(() => agent.ApplyAsync(Order("vs-2", 1, "192.0.2.30", "192.0.2.10"), TestContext.Current.CancellationToken));

        Assert.False(host.Has("192.0.2.30", Mark));
        Assert.Equal(VipOrderOutcome.Applied, (await agent.ApplyAsync(Order("vs-2", 1, "192.0.2.30"), TestContext.Current.CancellationToken)).Outcome);
    }

    [Fact]
    public async Task Apply_AddressHeldUnmarkedBySomeoneElse_LeftAloneAndReported()
    {
        var host = new FakeHostNetwork("eth0");
        host.Configure("192.0.2.10", 32, "eth0", 0);
        await using var agent = await StartedAgentAsync(host);

        var result = await agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10"), TestContext.Current.CancellationToken);
        await agent.FenceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(VipState.HeldByOther, Assert.Single(result.Vips).State);
        Assert.True(host.Has("192.0.2.10", 0));
        Assert.Empty(host.Announcements);
    }

    [Fact]
    public async Task Fence_WithdrawsEverything_ThenOnlyNewerEpochsAreAccepted()
    {
        var host = new FakeHostNetwork("eth0");
        host.Configure("192.0.2.1", 24, "eth0", 0);
        await using var agent = await StartedAgentAsync(host);
        await agent.ApplyAsync(Order("vs-1", 3, "192.0.2.10", "2001:db8::10"), TestContext.Current.CancellationToken);

        var removed = await agent.FenceAsync(TestContext.Current.CancellationToken);
        var sameEpoch = await agent.ApplyAsync(Order("vs-1", 3, "192.0.2.10"), TestContext.Current.CancellationToken);
        var fencedSnapshot = agent.Snapshot;
        var newer = await agent.ApplyAsync(Order("vs-1", 4, "192.0.2.10"), TestContext.Current.CancellationToken);

        Assert.Equal(2, removed.Count);
        Assert.True(host.Has("192.0.2.1", 0));
        Assert.Equal(VipOrderOutcome.RejectedStaleEpoch, sameEpoch.Outcome);
        Assert.True(fencedSnapshot.Fenced);
        Assert.Empty(fencedSnapshot.OwnedAddresses);
        Assert.Equal(VipOrderOutcome.Applied, newer.Outcome);
        Assert.True(host.Has("192.0.2.10", Mark));
        Assert.False(agent.Snapshot.Fenced);
    }

    [Fact]
    public async Task Vip_RemovedBehindTheAgentsBack_ComesBackOnTheNotification()
    {
        var host = new FakeHostNetwork("eth0");
        await using var agent = await StartedAgentAsync(host);
        await agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10"), TestContext.Current.CancellationToken);

        host.RemoveBehindTheAgentsBack("192.0.2.10");

        await Eventually.TrueAsync(() => host.Has("192.0.2.10", Mark), "The removed VIP was not re-added after the notification.");
        await Eventually.TrueAsync(() => host.Announcements.Count(a => a.Address.Equals(IPAddress.Parse("192.0.2.10"))) >= 2, "The re-added VIP was not announced again.");
    }

    [Fact]
    public async Task Vip_RemovedWithoutNotification_ComesBackAtThePeriodicReconcile()
    {
        var host = new FakeHostNetwork("eth0");
        var time = new FakeTimeProvider();
        await using var agent = await StartedAgentAsync(host, time);
        await agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10"), TestContext.Current.CancellationToken);

        host.RemoveSilently("192.0.2.10");
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(host.Has("192.0.2.10", Mark));
        time.Advance(TimeSpan.FromSeconds(10));

        await Eventually.TrueAsync(() => host.Has("192.0.2.10", Mark), "The periodic reconcile did not re-add the VIP.");
    }

    [Fact]
    public async Task Vip_RemovedWhileNotificationsWereLost_ComesBackOnChangesLost()
    {
        var host = new FakeHostNetwork("eth0");
        await using var agent = await StartedAgentAsync(host);
        await agent.ApplyAsync(Order("vs-1", 1, "2001:db8::10"), TestContext.Current.CancellationToken);

        host.RemoveSilently("2001:db8::10");
        host.LoseChanges();

        await Eventually.TrueAsync(() => host.Has("2001:db8::10", Mark), "Lost notifications did not trigger a full reconcile.");
    }

    [Fact]
    public async Task PeriodicReconcile_AfterAFailedPass_KeepsRunningAndRepairs()
    {
        var host = new FakeHostNetwork("eth0");
        var time = new FakeTimeProvider();
        await using var agent = await StartedAgentAsync(host, time);
        await agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10"), TestContext.Current.CancellationToken);
        var reconciledAt = agent.Snapshot.ReconciledAt;

        host.RemoveSilently("192.0.2.10");
        host.FailingListings = 1;
        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => host.FailingListings == 0, "The tick did not run a reconcile.");
        Assert.False(host.Has("192.0.2.10", Mark));
        time.Advance(TimeSpan.FromSeconds(10));

        await Eventually.TrueAsync(() => host.Has("192.0.2.10", Mark), "The reconcile loop did not survive a failed pass.");
        await Eventually.TrueAsync(() => agent.Snapshot.ReconciledAt > reconciledAt, "The snapshot was not refreshed.");
    }

    [Fact]
    public async Task Vip_OnMissingInterface_AddedWhenTheInterfaceAppears()
    {
        var host = new FakeHostNetwork("eth0");
        await using var agent = await StartedAgentAsync(host);

        var result = await agent.ApplyAsync(new VipOrder("vs-1", 1, [VipBinding.Host(IPAddress.Parse("192.0.2.10"), "eth1")]), TestContext.Current.CancellationToken);
        host.AddLink("eth1");

        Assert.Equal(VipState.InterfaceMissing, Assert.Single(result.Vips).State);
        await Eventually.TrueAsync(() => host.Has("192.0.2.10", Mark), "The VIP was not added when its interface appeared.");
    }

    [Fact]
    public async Task Lifetimes_Configured_AddedWithLifetimeAndRenewedOnEachTick()
    {
        var host = new FakeHostNetwork("eth0");
        var time = new FakeTimeProvider();
        var options = new VipAgentOptions { AddressProtocol = Mark, AddressLifetime = TimeSpan.FromSeconds(9), ReconcileInterval = TimeSpan.FromSeconds(30) };
        await using var agent = new VipAgent(host, options, time);
        await agent.StartAsync(TestContext.Current.CancellationToken);
        await agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10"), TestContext.Current.CancellationToken);
        Assert.Equal(TimeSpan.FromSeconds(9), host.Addresses.Single(a => a.Protocol == Mark).ValidLifetime);

        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => host.Renewals.Count >= 1, "The first tick (a third of the lifetime) did not renew the VIP.");
        time.Advance(TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => host.Renewals.Count >= 2, "The second tick did not renew the VIP.");

        Assert.All(host.Renewals, r => Assert.Equal(TimeSpan.FromSeconds(9), r.Lifetime!.Value.Valid));
        Assert.All(host.Renewals, r => Assert.Equal(Mark, r.Protocol));
    }

    [Fact]
    public async Task Agent_InvalidOptionsOrOrderBeforeStart_Refused()
    {
        var host = new FakeHostNetwork("eth0");

        Assert.Throws<ArgumentException>(() => new VipAgent(host, new VipAgentOptions { AddressProtocol = 2 }));
        Assert.Throws<ArgumentException>(() => new VipAgent(host, new VipAgentOptions { AddressLifetime = TimeSpan.FromSeconds(1) }));
        Assert.Throws<ArgumentException>(() => Order("vs-1", 1, "192.0.2.10", "192.0.2.10"));
        await using var agent = NewAgent(host, new FakeTimeProvider());
        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Start_HostFails_ThrowsAndCannotBeStartedAgain()
    {
        var host = new FakeHostNetwork("eth0") { FailingListings = 1 };
        await using var agent = NewAgent(host, new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<NetlinkException>(() => agent.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(105, error.Errno);
        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.StartAsync(TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<InvalidOperationException>(() => agent.ApplyAsync(Order("vs-1", 1, "192.0.2.10"), TestContext.Current.CancellationToken));
    }

    private static VipOrder Order(string virtualService, long epoch, params string[] vips) =>
        new(virtualService, epoch, vips.Select(v => VipBinding.Host(IPAddress.Parse(v), "eth0")).ToList());

    private static VipAgent NewAgent(FakeHostNetwork host, FakeTimeProvider time) =>
        new(host, new VipAgentOptions { AddressProtocol = Mark, ReconcileInterval = TimeSpan.FromSeconds(10) }, time);

    private static async Task<VipAgent> StartedAgentAsync(FakeHostNetwork host, FakeTimeProvider? time = null)
    {
        var agent = NewAgent(host, time ?? new FakeTimeProvider());
        await agent.StartAsync(TestContext.Current.CancellationToken);
        return agent;
    }
}
