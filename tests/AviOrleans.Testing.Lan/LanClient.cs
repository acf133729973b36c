using System.Net;
using System.Net.NetworkInformation;
using AviOrleans.Netlink;
using AviOrleans.Testing.Lan.Internal;

namespace AviOrleans.Testing.Lan;

/// <summary>A client machine on the LAN: where probes connect from and whose ARP view is watched. Never partitioned.</summary>
public sealed class LanClient : LanNode
{
    internal LanClient(VirtualLan lan, string name, IPAddress address)
        : base(lan, name, address)
    {
    }

    /// <summary>The client's neighbour entry for <paramref name="address"/> on <see cref="LanNode.InterfaceName"/>, or null.</summary>
    public NeighborEntry? Neighbor(IPAddress address) =>
        Netlink.ListNeighbors().FirstOrDefault(n => n.InterfaceName == InterfaceName && n.Address.Equals(address));

    /// <summary>
    /// Pins <paramref name="address"/> to <paramref name="mac"/> with a permanent neighbour entry, which no gratuitous ARP
    /// changes: a client with a stale ARP cache. Connections to the address then reach that MAC's host whoever owns the
    /// address now, which shows whether the old owner still answers for it.
    /// </summary>
    public Task PinNeighborAsync(IPAddress address, PhysicalAddress mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(mac);
        var text = string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        return IpAsync(cancellationToken, "neigh", "replace", address.ToString(), "lladdr", text, "nud", "permanent", "dev", InterfaceName);
    }

    /// <summary>Deletes the neighbour entry for <paramref name="address"/> in whatever state (pinned included); absent is fine.</summary>
    public async Task ForgetNeighborAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        await Command.TryRunAsync("ip", ["-n", NamespaceName, "neigh", "del", address.ToString(), "dev", InterfaceName], cancellationToken).ConfigureAwait(false);
    }
}
