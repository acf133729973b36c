using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using AviOrleans.Netlink.Internal.Native;

namespace AviOrleans.Netlink.Tests;

/// <summary>Neighbour (ARP/NDP) entries: the ndmsg layout and the RTM_GETNEIGH dump (the RTNLGRP_NEIGH notifications are in
/// NetlinkChangeMonitorTests).</summary>
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
}
