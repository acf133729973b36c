using System.Buffers.Binary;
using System.Net;
using AviOrleans.Netlink.Agent;

namespace AviOrleans.Netlink.Tests;

/// <summary>The agent on the real kernel, in a namespace with a veth pair.</summary>
public sealed class VipAgentNetlinkTests
{
    private const byte Mark = 0xA5;

    [Fact]
    public async Task Agent_OnNetlink_StartsCleanAddsAnnouncesRepairsAndFences()
    {
        Assert.True(NetlinkHostNetwork.KernelSupportsAddressProtocol, "The agent's mark needs IFA_PROTO (Linux 6.1+).");
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        // A crashed predecessor's VIP (marked) and the host's own address (unmarked).
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.99"), 32, VethPair.LocalInterface) { Protocol = Mark });
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.2"), 24, VethPair.LocalInterface));
        using var peerClient = NetlinkRouteClient.Open(pair.Peer);
        using var capture = PacketReceiver.Open(peerClient.GetLink(VethPair.PeerInterface), PacketReceiver.AllProtocols, pair.Peer);
        using var host = new NetlinkHostNetwork(pair.Local, new AnnouncementOptions { Count = 2, Interval = TimeSpan.FromMilliseconds(10) });
        await using var agent = new VipAgent(host, new VipAgentOptions { AddressProtocol = Mark, ReconcileInterval = TimeSpan.FromSeconds(2) });

        await agent.StartAsync(TestContext.Current.CancellationToken);
        var afterStart = await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface);
        var result = await agent.ApplyAsync(new VipOrder("vs-1", 7, [
            VipBinding.Host(IPAddress.Parse("192.0.2.10"), VethPair.LocalInterface),
            VipBinding.Host(IPAddress.Parse("2001:db8::10"), VethPair.LocalInterface)]), TestContext.Current.CancellationToken);
        var afterApply = await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface);
        var garp = capture.WaitFor(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x0806 && new IPAddress(f.AsSpan(14 + 14, 4)).Equals(IPAddress.Parse("192.0.2.10")), TimeSpan.FromSeconds(10));
        var na = capture.WaitFor(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x86DD && f.Length >= 86 && f[54] == 136, TimeSpan.FromSeconds(10));

        Assert.DoesNotContain("192.0.2.99/32", afterStart);
        Assert.Contains("192.0.2.2/24", afterStart);
        Assert.All(result.Vips, v => Assert.Equal(VipState.Owned, v.State));
        Assert.Contains("192.0.2.10/32", afterApply);
        Assert.Contains("2001:db8::10/128", afterApply);
        Assert.NotNull(garp);
        Assert.NotNull(na);

        // Removed behind the agent's back: the notification brings it back.
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "addr", "del", "192.0.2.10/32", "dev", VethPair.LocalInterface);
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "addr", "del", "2001:db8::10/128", "dev", VethPair.LocalInterface);
        await Eventually.TrueAsync(() => client.ListAddresses(VethPair.LocalInterface).Count(a => a.Protocol == Mark) == 2, "The VIPs removed behind the agent's back did not come back.");

        // A stale order changes nothing; fencing withdraws every marked VIP and nothing else.
        var stale = await agent.ApplyAsync(new VipOrder("vs-1", 6, []), TestContext.Current.CancellationToken);
        var removed = await agent.FenceAsync(TestContext.Current.CancellationToken);
        var afterFence = await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface);

        Assert.Equal(VipOrderOutcome.RejectedStaleEpoch, stale.Outcome);
        Assert.Equal(2, removed.Count);
        Assert.DoesNotContain("192.0.2.10/32", afterFence);
        Assert.DoesNotContain("2001:db8::10/128", afterFence);
        Assert.Contains("192.0.2.2/24", afterFence);
    }

    [Fact]
    public async Task Agent_LinkGoesDownAndUp_RestoresIPv6VipAndAnnouncesBothWhenCarrierReturns()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        using var peerClient = NetlinkRouteClient.Open(pair.Peer);
        using var host = new NetlinkHostNetwork(pair.Local, new AnnouncementOptions { Count = 1 });
        await using var agent = new VipAgent(host, new VipAgentOptions { AddressProtocol = Mark, ReconcileInterval = TimeSpan.FromMinutes(5) });
        await agent.StartAsync(TestContext.Current.CancellationToken);
        await agent.ApplyAsync(new VipOrder("vs-1", 1, [
            VipBinding.Host(IPAddress.Parse("192.0.2.10"), VethPair.LocalInterface),
            VipBinding.Host(IPAddress.Parse("2001:db8::10"), VethPair.LocalInterface)]), TestContext.Current.CancellationToken);

        // Link down: the kernel drops IPv6 addresses (keep_addr_on_down=0); the notifications make the agent put the
        // VIP back at once (the periodic reconcile is minutes away), on the down link.
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "link", "set", VethPair.LocalInterface, "down");
        await Eventually.TrueAsync(() => client.ListAddresses(VethPair.LocalInterface).Count(a => a.Protocol == Mark) == 2 && !client.GetLink(VethPair.LocalInterface).IsUp, "The IPv6 VIP dropped with the link was not restored.");
        using var capture = PacketReceiver.Open(peerClient.GetLink(VethPair.PeerInterface), PacketReceiver.AllProtocols, pair.Peer);
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "link", "set", VethPair.LocalInterface, "up");

        var garp = capture.WaitFor(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x0806 && new IPAddress(f.AsSpan(14 + 14, 4)).Equals(IPAddress.Parse("192.0.2.10")), TimeSpan.FromSeconds(15));
        var na = capture.WaitFor(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x86DD && f.Length >= 86 && f[54] == 136 && new IPAddress(f.AsSpan(62, 16)).Equals(IPAddress.Parse("2001:db8::10")), TimeSpan.FromSeconds(15));

        Assert.NotNull(garp);
        Assert.NotNull(na);
        Assert.All(agent.Snapshot.Vips, v => Assert.Equal(VipState.Owned, v.State));
    }

    [Fact]
    public async Task Agent_LargeOrder_AllVipsOwnedAndAllWithdrawnByFencing()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        using var host = new NetlinkHostNetwork(pair.Local, new AnnouncementOptions { Count = 1 });
        await using var agent = new VipAgent(host, new VipAgentOptions { AddressProtocol = Mark });
        await agent.StartAsync(TestContext.Current.CancellationToken);
        var vips = Enumerable.Range(0, 500).Select(i => VipBinding.Host(new IPAddress([198, 18, (byte)(i >> 8), (byte)i]), VethPair.LocalInterface)).ToList();

        var result = await agent.ApplyAsync(new VipOrder("vs-big", 1, vips), TestContext.Current.CancellationToken);
        var owned = client.ListAddresses(VethPair.LocalInterface).Count(a => a.Protocol == Mark);
        var removed = await agent.FenceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(500, result.Vips.Count(v => v.State == VipState.Owned));
        Assert.Equal(500, owned);
        Assert.Equal(500, removed.Count);
        Assert.DoesNotContain(client.ListAddresses(VethPair.LocalInterface), a => a.Protocol == Mark);
    }

    [Fact]
    public async Task Agent_MarkedVipIsThePrimaryOfItsSubnet_FencingKeepsTheUnmarkedSecondary()
    {
        // The VIP comes first, so the kernel makes it the primary of 192.0.2.0/24 and the host's own address of that
        // subnet its secondary. Deleting a primary deletes its secondaries unless promote_secondaries is on.
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        using var host = new NetlinkHostNetwork(pair.Local, new AnnouncementOptions { Count = 1 });
        await using var agent = new VipAgent(host, new VipAgentOptions { AddressProtocol = Mark });
        await agent.StartAsync(TestContext.Current.CancellationToken);
        await agent.ApplyAsync(new VipOrder("vs-1", 1, [new VipBinding(IPAddress.Parse("192.0.2.10"), 24, VethPair.LocalInterface)]), TestContext.Current.CancellationToken);
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "addr", "add", "192.0.2.2/24", "dev", VethPair.LocalInterface);
        Assert.True((client.ListAddresses(VethPair.LocalInterface).Single(a => a.Address.Equals(IPAddress.Parse("192.0.2.2"))).Flags & AddressFlags.Secondary) != 0);

        var removed = await agent.FenceAsync(TestContext.Current.CancellationToken);

        var left = await HostCommand.IpAddressesAsync(pair.LocalNamespace, VethPair.LocalInterface);
        Assert.Equal("192.0.2.10/24 on vip0", Assert.Single(removed).ToString());
        Assert.DoesNotContain("192.0.2.10/24", left);
        Assert.Contains("192.0.2.2/24", left);
    }

    [Fact]
    public async Task Agent_WithLifetimes_KeepsVipsWhileRunningAndKernelDropsThemAfterItStops()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        using var host = new NetlinkHostNetwork(pair.Local);
        var agent = new VipAgent(host, new VipAgentOptions { AddressProtocol = Mark, AddressLifetime = TimeSpan.FromSeconds(6) });
        await agent.StartAsync(TestContext.Current.CancellationToken);
        await agent.ApplyAsync(new VipOrder("vs-1", 1, [VipBinding.Host(IPAddress.Parse("192.0.2.10"), VethPair.LocalInterface), VipBinding.Host(IPAddress.Parse("2001:db8::10"), VethPair.LocalInterface)]), TestContext.Current.CancellationToken);

        // One and a half lifetimes: only the agent's renewals (every 2 s) keep the VIPs.
        for (var second = 0; second < 9; second++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            Assert.Equal(2, client.ListAddresses(VethPair.LocalInterface).Count(a => a.Protocol == Mark));
        }

        // The agent stops (as if it hung or died): nobody renews, the kernel removes the VIPs.
        await agent.DisposeAsync();
        await Eventually.TrueAsync(() => !client.ListAddresses(VethPair.LocalInterface).Any(a => a.Protocol == Mark), "The kernel kept VIPs whose lifetime ran out.", TimeSpan.FromSeconds(20));
    }
}
