using System.Net;
using System.Net.NetworkInformation;
using AviOrleans.Netlink;

namespace AviOrleans.Testing.Lan;

/// <summary>One sample of an <see cref="OwnershipSampler"/>: which watched VIPs each host held, and what each client's
/// ARP table said about them, read one namespace after the other between <see cref="Started"/> and <see cref="Completed"/>.</summary>
/// <param name="Started">Before the first read.</param>
/// <param name="Completed">After the last read.</param>
/// <param name="Hosts">One entry per host, in LAN order.</param>
/// <param name="ClientArp">The clients' neighbour entries for the watched VIPs.</param>
public sealed record OwnershipSample(LanTime Started, LanTime Completed, IReadOnlyList<HostOwnership> Hosts, IReadOnlyList<ClientArpEntry> ClientArp)
{
    /// <summary>The hosts able to answer for <paramref name="vip"/>: it is on their interface and the link is up with carrier.</summary>
    public IReadOnlyList<string> Owners(IPAddress vip) => [.. Hosts.Where(h => h.LinkUp && h.Vips.Contains(vip)).Select(h => h.Host)];
}

/// <summary>What one host held in a sample.</summary>
/// <param name="Host">The host's name.</param>
/// <param name="LinkUp">Whether its interface was up with carrier (a frozen host's is down: its addresses cannot answer).</param>
/// <param name="Vips">The watched VIPs configured on its interface.</param>
public sealed record HostOwnership(string Host, bool LinkUp, IReadOnlyList<IPAddress> Vips);

/// <summary>A client's neighbour entry for a watched VIP in a sample.</summary>
/// <param name="Client">The client's name.</param>
/// <param name="Vip">The VIP.</param>
/// <param name="Mac">The MAC it resolves to (<see cref="PhysicalAddress.None"/> while unresolved).</param>
/// <param name="Node">The LAN node with that MAC, or null.</param>
/// <param name="State">The NUD state.</param>
public sealed record ClientArpEntry(string Client, IPAddress Vip, PhysicalAddress Mac, string? Node, NeighborState State);

/// <summary>A sample in which a VIP was held by two or more hosts able to answer for it.</summary>
/// <param name="Time">The sample's start.</param>
/// <param name="Vip">The VIP.</param>
/// <param name="Hosts">The hosts holding it, links up.</param>
public sealed record DuplicateOwnership(LanTime Time, IPAddress Vip, IReadOnlyList<string> Hosts);
