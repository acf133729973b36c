using AviOrleans.Netlink;

namespace AviOrleans.DataPlane.Tests;

/// <summary>What the kernel holds, read with the netlink library (iproute2 6.1 neither sets nor prints IFA_PROTO).</summary>
internal static class Kernel
{
    /// <summary>The addresses on an interface of a namespace: "address/prefix" and the address protocol (the mark).</summary>
    public static IReadOnlyList<(string Address, byte Protocol)> Addresses(string namespaceName, string interfaceName)
    {
        using var client = NetlinkRouteClient.Open(NetworkNamespace.FromName(namespaceName));
        return [.. client.ListAddresses(interfaceName).Select(a => ($"{a.Address}/{a.PrefixLength}", a.Protocol))];
    }

    /// <summary>Adds an address the way a crashed predecessor (with a mark) or someone else (without) left it.</summary>
    public static void Add(string namespaceName, string interfaceName, string address, int prefixLength, byte protocol = 0)
    {
        using var client = NetlinkRouteClient.Open(NetworkNamespace.FromName(namespaceName));
        client.AddAddress(new AddressRequest(System.Net.IPAddress.Parse(address), prefixLength, interfaceName) { Protocol = protocol });
    }
}
