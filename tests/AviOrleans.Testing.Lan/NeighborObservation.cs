using System.Net;
using System.Net.NetworkInformation;
using AviOrleans.Netlink;

namespace AviOrleans.Testing.Lan;

/// <summary>A change of a client's neighbour (ARP) entry for the probed address, from an rtnetlink notification
/// (RTM_NEWNEIGH/RTM_DELNEIGH), stamped when the harness read it.</summary>
/// <param name="Time">When the notification was read.</param>
/// <param name="Address">The probed address.</param>
/// <param name="Mac">The MAC the entry now holds (<see cref="PhysicalAddress.None"/> while unresolved).</param>
/// <param name="Node">The LAN node with that MAC (e.g. "se2"), or null.</param>
/// <param name="State">The entry's NUD state.</param>
/// <param name="Removed">True when the entry was deleted.</param>
public sealed record NeighborObservation(LanTime Time, IPAddress Address, PhysicalAddress Mac, string? Node, NeighborState State, bool Removed);
