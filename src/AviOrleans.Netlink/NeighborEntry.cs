using System.Net;
using System.Net.NetworkInformation;

namespace AviOrleans.Netlink;

/// <summary>A neighbour (ARP for IPv4, NDP for IPv6) entry as rtnetlink reports it (RTM_NEWNEIGH).</summary>
/// <param name="Address">The neighbour's IP address (NDA_DST).</param>
/// <param name="InterfaceIndex">The interface index.</param>
/// <param name="InterfaceName">The interface name, or the index as text when the link is not known.</param>
/// <param name="LinkLayerAddress">The MAC address (NDA_LLADDR); <see cref="PhysicalAddress.None"/> while unresolved.</param>
/// <param name="State">The NUD_* state.</param>
public sealed record NeighborEntry(
    IPAddress Address,
    int InterfaceIndex,
    string InterfaceName,
    PhysicalAddress LinkLayerAddress,
    NeighborState State)
{
    /// <summary>"192.0.2.100 lladdr 020000000011 STALE on eth0", for messages.</summary>
    public override string ToString() => $"{Address} lladdr {LinkLayerAddress} {State} on {InterfaceName}";
}
