namespace AviOrleans.Netlink;

/// <summary>A neighbour entry was created or changed (RTM_NEWNEIGH: resolved, a new MAC from a gratuitous ARP, a
/// state change), or removed (RTM_DELNEIGH). Only reported by a monitor started with neighbours.</summary>
/// <param name="Neighbor">The entry as the kernel described it.</param>
/// <param name="Removed">True for RTM_DELNEIGH.</param>
public sealed record NeighborChange(NeighborEntry Neighbor, bool Removed) : NetworkChange;
