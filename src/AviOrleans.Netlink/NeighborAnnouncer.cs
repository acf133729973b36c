using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AviOrleans.Netlink;

/// <summary>
/// Sends gratuitous ARP (IPv4) and unsolicited neighbour advertisements (IPv6) on an AF_PACKET socket, so that the
/// LAN moves an address to its new owner at once. Needs CAP_NET_RAW. Thread-safe.
/// </summary>
/// <remarks>
/// The socket is AF_PACKET/SOCK_DGRAM with protocol 0: the kernel adds the Ethernet header from the sockaddr_ll of
/// each sendto(2) and the socket receives nothing.
/// </remarks>
public sealed class NeighborAnnouncer : IDisposable
{
    private static readonly byte[] BroadcastMac = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

    private readonly SafeFileDescriptorHandle _socket;

    private NeighborAnnouncer(NetworkNamespace networkNamespace)
    {
        _socket = networkNamespace.CreateSocket(LibC.AF_PACKET, LibC.SOCK_DGRAM, 0);
    }

    /// <summary>Opens the packet socket in <paramref name="networkNamespace"/> (default: the current one).</summary>
    public static NeighborAnnouncer Open(NetworkNamespace? networkNamespace = null) => new(networkNamespace ?? NetworkNamespace.Current);

    /// <summary>Sends one gratuitous ARP for <paramref name="address"/> with the MAC of <paramref name="link"/>.</summary>
    public void SendGratuitousArp(NetworkLink link, IPAddress address, GratuitousArpForm form)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Gratuitous ARP is for IPv4; '{address}' is not.", nameof(address));
        }

        Span<byte> packet = stackalloc byte[ArpAnnouncementPacket.Length];
        if (form is GratuitousArpForm.Request or GratuitousArpForm.RequestAndReply)
        {
            ArpAnnouncementPacket.Write(packet, link.MacAddress, address, reply: false);
            Send(link, address, packet, EthernetConstants.ETH_P_ARP, BroadcastMac);
        }

        if (form is GratuitousArpForm.Reply or GratuitousArpForm.RequestAndReply)
        {
            ArpAnnouncementPacket.Write(packet, link.MacAddress, address, reply: true);
            Send(link, address, packet, EthernetConstants.ETH_P_ARP, BroadcastMac);
        }
    }

    /// <summary>Sends one unsolicited neighbour advertisement for <paramref name="address"/> to ff02::1.</summary>
    public void SendUnsolicitedNeighborAdvertisement(NetworkLink link, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"Neighbour advertisements are for IPv6; '{address}' is not.", nameof(address));
        }

        Span<byte> packet = stackalloc byte[NeighborAdvertisementPacket.Length];
        NeighborAdvertisementPacket.Write(packet, link.MacAddress, address);
        Send(link, address, packet, EthernetConstants.ETH_P_IPV6, NeighborAdvertisementPacket.AllNodesMac);
    }

    /// <summary>Announces <paramref name="address"/> <see cref="AnnouncementOptions.Count"/> times, <see cref="AnnouncementOptions.Interval"/>
    /// apart: gratuitous ARP for IPv4, unsolicited NA for IPv6. The first one goes out before the method first yields.</summary>
    public async Task AnnounceAsync(NetworkLink link, IPAddress address, AnnouncementOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(address);
        options.Validate();
        timeProvider ??= TimeProvider.System;
        for (var i = 0; i < options.Count; i++)
        {
            if (i > 0 && options.Interval > TimeSpan.Zero)
            {
                await Task.Delay(options.Interval, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                SendGratuitousArp(link, address, options.ArpForm);
            }
            else
            {
                SendUnsolicitedNeighborAdvertisement(link, address);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    private unsafe void Send(NetworkLink link, IPAddress address, ReadOnlySpan<byte> packet, ushort etherType, byte[] destinationMac)
    {
        var destination = new sockaddr_ll
        {
            sll_family = (ushort)LibC.AF_PACKET,
            sll_protocol = (ushort)IPAddress.HostToNetworkOrder((short)etherType),
            sll_ifindex = link.Index,
            sll_halen = 6,
        };
        for (var i = 0; i < 6; i++)
        {
            destination.sll_addr[i] = destinationMac[i];
        }

        fixed (byte* pointer = packet)
        {
            using var fd = _socket.Borrow();
            while (true)
            {
                long sent = LibC.sendto(fd.Fd, pointer, packet.Length, 0, (sockaddr*)&destination, sizeof(sockaddr_ll));
                if (sent >= 0)
                {
                    return;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                throw errno switch
                {
                    _ when Errno.IsRefused(errno) => new NetlinkPermissionException($"Announcing {address} on {link.Name} was refused: CAP_NET_RAW is needed ({Errno.Name(errno)}).", errno),
                    _ when errno == LibC.ENODEV || errno == LibC.ENXIO => new NetworkInterfaceNotFoundException($"Announcing {address} failed: interface '{link.Name}' (index {link.Index}) is gone ({Errno.Name(errno)}).", link.Name),
                    _ => new NetlinkException($"Announcing {address} on {link.Name} failed ({Errno.Name(errno)}).", errno),
                };
            }
        }
    }
}
