using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;

namespace AviOrleans.Netlink.Internal;

/// <summary>
/// A gratuitous ARP for IPv4 over Ethernet (RFC 826, RFC 5227 §3 "ARP Announcement", RFC 5944 §4.6).
/// </summary>
/// <remarks>
/// The packet socket is SOCK_DGRAM, so the kernel writes the Ethernet header (destination ff:ff:ff:ff:ff:ff from
/// sockaddr_ll, source = the interface MAC, EtherType 0x0806); this is the 28-byte ARP payload:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-------------------------------+-------------------------------+
/// |  htype = 1 (Ethernet)         |  ptype = 0x0800 (IPv4)        |
/// +---------------+---------------+-------------------------------+
/// |  hlen = 6     |  plen = 4     |  oper = 1 request / 2 reply   |
/// +---------------+---------------+-------------------------------+
/// |  sha: sender MAC (6) = the new owner's interface MAC          |
/// +                               +-------------------------------+
/// |                               |  spa: sender IPv4 = the VIP   |
/// +-------------------------------+-------------------------------+
/// |  spa (cont.)                  |  tha: target MAC (6)          |
/// +-------------------------------+                               +
/// |  request: 00:00:00:00:00:00 (RFC 5227); reply: = sha (RFC 5944)|
/// +---------------------------------------------------------------+
/// |  tpa: target IPv4 = the VIP again (spa == tpa: gratuitous)    |
/// +---------------------------------------------------------------+
/// </code>
/// Linux receivers update an existing neighbour entry from either form whatever arp_accept says (arp_accept only
/// decides whether a gratuitous ARP may create a new entry), but they recognise a gratuitous *reply* only when
/// tha equals sha (arp_is_garp in net/ipv4/arp.c, as RFC 5944 §4.6 describes it); otherwise the reply is treated
/// as an ordinary one and ignored for an entry updated within the last second (locktime).
/// </remarks>
internal static class ArpAnnouncementPacket
{
    public const int Length = 28;

    public static void Write(Span<byte> packet, PhysicalAddress senderMac, IPAddress address, bool reply)
    {
        var mac = senderMac.GetAddressBytes();
        if (mac.Length != 6)
        {
            throw new ArgumentException($"ARP over Ethernet needs a 6-byte MAC, got {mac.Length} bytes.", nameof(senderMac));
        }

        packet = packet[..Length];
        packet.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(packet, EthernetConstants.ARPHRD_ETHER);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], EthernetConstants.ETH_P_IP);
        packet[4] = 6;
        packet[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(packet[6..], (ushort)(reply ? 2 : 1));
        mac.CopyTo(packet[8..]);
        address.TryWriteBytes(packet[14..18], out _);
        if (reply)
        {
            mac.CopyTo(packet[18..]);
        }

        address.TryWriteBytes(packet[24..28], out _);
    }
}
