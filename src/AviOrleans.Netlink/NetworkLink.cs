using System.Net.NetworkInformation;

namespace AviOrleans.Netlink;

/// <summary>A network interface as rtnetlink reports it (RTM_NEWLINK).</summary>
/// <param name="Index">The interface index (ifindex), unique within its network namespace.</param>
/// <param name="Name">The interface name (IFLA_IFNAME).</param>
/// <param name="MacAddress">The link-layer address (IFLA_ADDRESS); empty when the link has none.</param>
/// <param name="Flags">The IFF_* flags.</param>
/// <param name="OperationalState">The RFC 2863 state (IFLA_OPERSTATE).</param>
/// <param name="Mtu">The MTU in bytes (IFLA_MTU).</param>
public sealed record NetworkLink(
    int Index,
    string Name,
    PhysicalAddress MacAddress,
    LinkFlags Flags,
    LinkOperationalState OperationalState,
    int Mtu)
{
    /// <summary>True when the link is administratively up (IFF_UP).</summary>
    public bool IsUp => (Flags & LinkFlags.Up) != 0;

    /// <summary>True when the link is up and has carrier (IFF_UP and IFF_LOWER_UP), i.e. packets can leave it.</summary>
    public bool HasCarrier => IsUp && (Flags & LinkFlags.LowerUp) != 0;
}
