namespace AviOrleans.Netlink;

/// <summary>An address was added or changed (RTM_NEWADDR), or removed (RTM_DELADDR).</summary>
/// <param name="Address">The address as the kernel described it.</param>
/// <param name="Removed">True for RTM_DELADDR.</param>
public sealed record AddressChange(InterfaceAddress Address, bool Removed) : NetworkChange;
