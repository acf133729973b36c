using System.Net;
using System.Net.NetworkInformation;

namespace AviOrleans.Netlink.Tests;

public sealed class NetlinkChangeMonitorTests
{
    private static readonly IPAddress NeighborPeer = IPAddress.Parse("192.0.2.61");

    [Fact]
    public async Task Monitor_AddressRemovedAndLinkDownBehindItsBack_ReportsBoth()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        client.AddAddress(new AddressRequest(IPAddress.Parse("192.0.2.60"), 32, VethPair.LocalInterface) { Protocol = 0xA5 });
        using var monitor = NetlinkChangeMonitor.Start(pair.Local);

        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "addr", "del", "192.0.2.60/32", "dev", VethPair.LocalInterface);
        var removed = await ReadUntilAsync<AddressChange>(monitor, c => c.Removed && c.Address.Address.Equals(IPAddress.Parse("192.0.2.60")));
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "link", "set", VethPair.LocalInterface, "down");
        var down = await ReadUntilAsync<LinkChange>(monitor, c => c.Link.Name == VethPair.LocalInterface && !c.Link.IsUp);

        Assert.Equal(VethPair.LocalInterface, removed.Address.InterfaceName);
        Assert.Equal(0xA5, removed.Address.Protocol);
        Assert.False(down.Removed);
        Assert.False(down.Link.HasCarrier);
    }

    [Fact]
    public async Task Monitor_WithNeighbors_ReportsNewMacAndRemoval()
    {
        await using var pair = await VethPair.CreateAsync();
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "neigh", "add", NeighborPeer.ToString(), "lladdr", "02:a0:00:00:00:99", "nud", "stale", "dev", VethPair.LocalInterface);
        using var monitor = NetlinkChangeMonitor.Start(pair.Local, neighbors: true);

        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "neigh", "replace", NeighborPeer.ToString(), "lladdr", VethPair.PeerMac, "nud", "stale", "dev", VethPair.LocalInterface);
        var changed = await ReadUntilAsync<NeighborChange>(monitor, c => !c.Removed && c.Neighbor.Address.Equals(NeighborPeer));
        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "neigh", "del", NeighborPeer.ToString(), "dev", VethPair.LocalInterface);
        var removed = await ReadUntilAsync<NeighborChange>(monitor, c => c.Removed && c.Neighbor.Address.Equals(NeighborPeer));

        Assert.Equal(PhysicalAddress.Parse(VethPair.PeerMac), changed.Neighbor.LinkLayerAddress);
        Assert.Equal(NeighborState.Stale, changed.Neighbor.State);
        Assert.Equal(VethPair.LocalInterface, removed.Neighbor.InterfaceName);
    }

    [Fact]
    public async Task Monitor_WithoutNeighbors_ReportsNoNeighborChange()
    {
        await using var pair = await VethPair.CreateAsync();
        using var monitor = NetlinkChangeMonitor.Start(pair.Local);

        await HostCommand.RunAsync("ip", "-n", pair.LocalNamespace, "neigh", "add", NeighborPeer.ToString(), "lladdr", VethPair.PeerMac, "dev", VethPair.LocalInterface);
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

    private static async Task<T> ReadUntilAsync<T>(NetlinkChangeMonitor monitor, Func<T, bool> match)
        where T : NetworkChange
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        await foreach (var change in monitor.Changes.ReadAllAsync(timeout.Token))
        {
            if (change is T typed && match(typed))
            {
                return typed;
            }
        }

        throw new InvalidOperationException("The monitor stopped.");
    }
}
