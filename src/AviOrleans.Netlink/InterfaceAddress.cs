using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Netlink;

/// <summary>An address configured on an interface, as rtnetlink lists it (RTM_NEWADDR).</summary>
public sealed record InterfaceAddress
{
    /// <summary>The address (IFA_LOCAL for IPv4, IFA_ADDRESS for IPv6).</summary>
    public required IPAddress Address { get; init; }

    /// <summary>The prefix length.</summary>
    public required int PrefixLength { get; init; }

    /// <summary>The interface index.</summary>
    public required int InterfaceIndex { get; init; }

    /// <summary>The interface name, or the index as text when the link vanished while listing.</summary>
    public required string InterfaceName { get; init; }

    /// <summary>The IFA_F_* flags.</summary>
    public AddressFlags Flags { get; init; }

    /// <summary>The scope (0 universe, 253 link, 254 host).</summary>
    public byte Scope { get; init; }

    /// <summary>The IPv4 label (IFA_LABEL), if any.</summary>
    public string? Label { get; init; }

    /// <summary>The IPv4 broadcast address (IFA_BROADCAST), if any.</summary>
    public IPAddress? Broadcast { get; init; }

    /// <summary>The address protocol (IFA_PROTO); 0 when unset or the kernel predates 6.1.</summary>
    public byte Protocol { get; init; }

    /// <summary>Remaining valid lifetime; null for forever.</summary>
    public TimeSpan? ValidLifetime { get; init; }

    /// <summary>Remaining preferred lifetime; null for forever.</summary>
    public TimeSpan? PreferredLifetime { get; init; }

    /// <summary>True for an IPv6 address.</summary>
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>"192.0.2.10/32 on eth0", for messages.</summary>
    public override string ToString() => $"{Address}/{PrefixLength} on {InterfaceName}";
}
