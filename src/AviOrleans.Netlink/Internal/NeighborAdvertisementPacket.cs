using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;

namespace AviOrleans.Netlink.Internal;

/// <summary>
/// An unsolicited IPv6 neighbour advertisement (RFC 4861 §4.4, §7.2.6) to all-nodes, with the override flag and the
/// target link-layer address option, so that neighbours replace a cached MAC for the address at once.
/// </summary>
/// <remarks>
/// The packet socket is SOCK_DGRAM: the kernel writes the Ethernet header (destination 33:33:00:00:00:01, the
/// multicast MAC of ff02::1 per RFC 2464 §7; EtherType 0x86DD). This is the IPv6 packet, 40 + 32 bytes:
/// <code>
/// IPv6 header (RFC 8200)
/// +-------+---------------+---------------------------------------+
/// |Ver=6  | Traffic cl. 0 |  Flow label 0                         |
/// +-------+---------------+---------------+-----------------------+
/// |  Payload length = 32          | Next = 58     | Hop limit=255 |
/// +-------------------------------+---------------+---------------+
/// |  Source address (16) = the VIP                                |
/// +---------------------------------------------------------------+
/// |  Destination address (16) = ff02::1 (all nodes)               |
/// +---------------------------------------------------------------+
/// ICMPv6 neighbour advertisement (RFC 4861 §4.4)
/// +---------------+---------------+-------------------------------+
/// | Type = 136    | Code = 0      | Checksum                      |
/// +-+-+-+---------+---------------+-------------------------------+
/// |R|S|O| Reserved: R=0, S=0 (unsolicited), O=1 (override)        |
/// +-+-+-+---------------------------------------------------------+
/// |  Target address (16) = the VIP                                |
/// +---------------+---------------+-------------------------------+
/// | Opt type = 2  | Opt len = 1   | Target link-layer address (6) |
/// | (target LLA)  | (8 octets)    | = the new owner's MAC         |
/// +---------------+---------------+-------------------------------+
/// </code>
/// Receivers drop a neighbour discovery message whose hop limit is not 255 (RFC 4861 §7.1.2: proof that it was
/// not forwarded). The checksum covers the pseudo-header of RFC 8200 §8.1 (source, destination, upper-layer length
/// as 32 bits, three zero bytes, next header 58) and the ICMPv6 message.
/// </remarks>
internal static class NeighborAdvertisementPacket
{
    public const int Length = 40 + IcmpLength;

    private const int IcmpLength = 32;

    /// <summary>ff02::1.</summary>
    public static readonly IPAddress AllNodes = IPAddress.Parse("ff02::1");

    /// <summary>33:33:00:00:00:01, the Ethernet multicast address of ff02::1.</summary>
    public static readonly byte[] AllNodesMac = [0x33, 0x33, 0x00, 0x00, 0x00, 0x01];

    public static void Write(Span<byte> packet, PhysicalAddress senderMac, IPAddress target)
    {
        var mac = senderMac.GetAddressBytes();
        if (mac.Length != 6)
        {
            throw new ArgumentException($"The target link-layer option needs a 6-byte MAC, got {mac.Length} bytes.", nameof(senderMac));
        }

        packet = packet[..Length];
        packet.Clear();

        // IPv6 header.
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet[4..], IcmpLength);
        packet[6] = 58;
        packet[7] = 255;
        target.TryWriteBytes(packet[8..24], out _);
        AllNodes.TryWriteBytes(packet[24..40], out _);

        // ICMPv6 neighbour advertisement.
        var icmp = packet[40..];
        icmp[0] = 136;
        icmp[4] = 0x20; // O (override); R and S clear
        target.TryWriteBytes(icmp[8..24], out _);
        icmp[24] = 2;
        icmp[25] = 1;
        mac.CopyTo(icmp[26..]);

        var checksum = InternetChecksum.ForIcmpV6(packet[8..24], packet[24..40], icmp);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], checksum);
    }
}
