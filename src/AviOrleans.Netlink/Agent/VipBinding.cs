using System.Net;
using System.Net.Sockets;

namespace AviOrleans.Netlink.Agent;

/// <summary>A VIP on an interface: the address, its prefix length and the interface that must carry it.</summary>
public sealed record VipBinding
{
    /// <summary>Creates a binding; the prefix must fit the family (default use: 32 or 128).</summary>
    public VipBinding(IPAddress address, int prefixLength, string interfaceName)
    {
        // AddressRequest holds the validation rules for address, prefix and interface name.
        var request = new AddressRequest(address, prefixLength, interfaceName);
        Address = request.Address;
        PrefixLength = request.PrefixLength;
        InterfaceName = request.InterfaceName;
    }

    /// <summary>The VIP.</summary>
    public IPAddress Address { get; }

    /// <summary>The prefix length.</summary>
    public int PrefixLength { get; }

    /// <summary>The interface name.</summary>
    public string InterfaceName { get; }

    /// <summary>True for an IPv6 VIP.</summary>
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>A host VIP (/32 or /128) on <paramref name="interfaceName"/>.</summary>
    public static VipBinding Host(IPAddress address, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new VipBinding(address, address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32, interfaceName);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Address}/{PrefixLength} on {InterfaceName}";
}
