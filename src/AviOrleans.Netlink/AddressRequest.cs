using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AviOrleans.Netlink;

/// <summary>One address to add, replace (renew) or delete on an interface.</summary>
public sealed record AddressRequest
{
    /// <summary>Creates a request; <paramref name="prefixLength"/> must fit the address family (0–32 or 0–128).</summary>
    public AddressRequest(IPAddress address, int prefixLength, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(interfaceName);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"'{address}' is neither an IPv4 nor an IPv6 address.", nameof(address));
        }

        if (address.IsIPv4MappedToIPv6)
        {
            throw new ArgumentException($"'{address}' is an IPv4-mapped IPv6 address; pass the IPv4 address itself.", nameof(address));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        if (Encoding.UTF8.GetByteCount(interfaceName) >= Internal.Native.RtnetlinkConstants.IFNAMSIZ)
        {
            throw new ArgumentException($"Interface name '{interfaceName}' is longer than the kernel's 15 bytes.", nameof(interfaceName));
        }

        Address = address;
        PrefixLength = prefixLength;
        InterfaceName = interfaceName;
    }

    /// <summary>The address.</summary>
    public IPAddress Address { get; }

    /// <summary>The prefix length (32 or 128 for a host-only VIP).</summary>
    public int PrefixLength { get; }

    /// <summary>The interface name.</summary>
    public string InterfaceName { get; }

    /// <summary>True for an IPv6 address.</summary>
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>IPv4 broadcast address (IFA_BROADCAST). Default: none.</summary>
    public IPAddress? Broadcast { get; init; }

    /// <summary>IPv4 address label (IFA_LABEL, at most 15 bytes; the kernel has no labels for IPv6). Default: none.</summary>
    public string? Label { get; init; }

    /// <summary>Address protocol (IFA_PROTO, kernel 6.1+): who configured the address. 0 sends none. Default: 0.</summary>
    public byte Protocol { get; init; }

    /// <summary>Kernel lifetimes (IFA_CACHEINFO); null means forever. Default: null.</summary>
    public AddressLifetime? Lifetime { get; init; }

    /// <summary>For IPv6: skip duplicate address detection (IFA_F_NODAD) so a VIP answers at once. Default: true.</summary>
    public bool NoDuplicateAddressDetection { get; init; } = true;

    /// <summary>"192.0.2.10/32 on eth0", for messages.</summary>
    public override string ToString() => $"{Address}/{PrefixLength} on {InterfaceName}";

    /// <summary>Checks the optional fields against the address family; throws <see cref="ArgumentException"/>.</summary>
    internal void Validate()
    {
        if (Broadcast is not null && (IsIPv6 || Broadcast.AddressFamily != AddressFamily.InterNetwork))
        {
            throw new ArgumentException($"{this}: a broadcast address exists only for IPv4 and must be IPv4.");
        }

        if (Label is not null)
        {
            if (IsIPv6)
            {
                throw new ArgumentException($"{this}: the kernel keeps address labels for IPv4 only.");
            }

            if (Label.Length == 0 || Encoding.UTF8.GetByteCount(Label) >= Internal.Native.RtnetlinkConstants.IFNAMSIZ)
            {
                throw new ArgumentException($"{this}: label '{Label}' must be 1 to 15 bytes.");
            }
        }

        if (Lifetime is { } lifetime && lifetime.Valid < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"{this}: a valid lifetime must be at least one second.");
        }
    }
}
