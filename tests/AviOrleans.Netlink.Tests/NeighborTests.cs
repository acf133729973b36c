using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using AviOrleans.Netlink.Internal.Native;

namespace AviOrleans.Netlink.Tests;

/// <summary>Neighbour (ARP/NDP) entries: the RTM_GETNEIGH dump and RTNLGRP_NEIGH notifications.</summary>
public sealed class NeighborTests
{
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.61");

    [Fact]
    public void Ndmsg_Layout_MatchesHeader()
    {
        // sizeof/offsetof over <linux/neighbour.h> (gcc 12, x86-64).
        Assert.Equal(12, Marshal.SizeOf<ndmsg>());
        Assert.Equal(4, (int)Marshal.OffsetOf<ndmsg>(nameof(ndmsg.ndm_ifindex)));
        Assert.Equal(8, (int)Marshal.OffsetOf<ndmsg>(nameof(ndmsg.ndm_state)));
        Assert.Equal(10, (int)Marshal.OffsetOf<ndmsg>(nameof(ndmsg.ndm_flags)));
        Assert.Equal(11, (int)Marshal.OffsetOf<ndmsg>(nameof(ndmsg.ndm_type)));
    }

    [Fact]
    public async Task ListNeighbors_EntrySetByHand_ListedWithMacAndState()
    {
        await using var pair = await VethPair.CreateAsync();
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "neigh", "add", Peer.ToString(), "lladdr", VethPair.PeerMac, "nud", "permanent", "dev", VethPair.LocalInterface);
        using var client = NetlinkRouteClient.Open(pair.Local);

        var entry = Assert.Single(client.ListNeighbors(), n => n.Address.Equals(Peer));

        Assert.Equal(VethPair.LocalInterface, entry.InterfaceName);
        Assert.Equal(PhysicalAddress.Parse(VethPair.PeerMac), entry.LinkLayerAddress);
        Assert.Equal(NeighborState.Permanent, entry.State);
    }

    [Fact]
    public async Task Monitor_WithNeighbors_ReportsNewMacAndRemoval()
    {
        await using var pair = await VethPair.CreateAsync();
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "neigh", "add", Peer.ToString(), "lladdr", "02:a0:00:00:00:99", "nud", "stale", "dev", VethPair.LocalInterface);
        using var monitor = NetlinkChangeMonitor.Start(pair.Local, neighbors: true);

        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "neigh", "replace", Peer.ToString(), "lladdr", VethPair.PeerMac, "nud", "stale", "dev", VethPair.LocalInterface);
        var changed = await ReadUntilAsync(monitor, c => !c.Removed && c.Neighbor.Address.Equals(Peer));
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "neigh", "del", Peer.ToString(), "dev", VethPair.LocalInterface);
        var removed = await ReadUntilAsync(monitor, c => c.Removed && c.Neighbor.Address.Equals(Peer));

        Assert.Equal(PhysicalAddress.Parse(VethPair.PeerMac), changed.Neighbor.LinkLayerAddress);
        Assert.Equal(NeighborState.Stale, changed.Neighbor.State);
        Assert.Equal(VethPair.LocalInterface, removed.Neighbor.InterfaceName);
    }

    [Fact]
    public async Task Monitor_WithoutNeighbors_ReportsNoNeighborChange()
    {
        await using var pair = await VethPair.CreateAsync();
        using var monitor = NetlinkChangeMonitor.Start(pair.Local);

        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "neigh", "add", Peer.ToString(), "lladdr", VethPair.PeerMac, "dev", VethPair.LocalInterface);
        // An address change after the neighbour change: once it arrives, anything sent before it has arrived too.
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "addr", "add", "192.0.2.62/32", "dev", VethPair.LocalInterface);
        var seen = new List<NetworkChange>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        await foreach (var change in monitor.Changes.ReadAllAsync(timeout.Token))
        {
            seen.Add(change);
            if (change is AddressChange { Removed: false } added && added.Address.Address.Equals(IPAddress.Parse("192.0.2.62")))
            {
                break;
            }
        }

        Assert.DoesNotContain(seen, c => c is NeighborChange);
    }

    private static async Task<NeighborChange> ReadUntilAsync(NetlinkChangeMonitor monitor, Func<NeighborChange, bool> match)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        await foreach (var change in monitor.Changes.ReadAllAsync(timeout.Token))
        {
            if (change is NeighborChange neighbor && match(neighbor))
            {
                return neighbor;
            }
        }

        throw new InvalidOperationException("The monitor stopped.");
    }
}
