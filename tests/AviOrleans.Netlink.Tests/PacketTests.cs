using System.Net;
using System.Net.NetworkInformation;
using AviOrleans.Netlink.Internal;

namespace AviOrleans.Netlink.Tests;

public sealed class PacketTests
{
    [Fact]
    public void InternetChecksum_Rfc1071Example_Matches()
    {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (before complement).
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];

        var checksum = InternetChecksum.Fold(InternetChecksum.Add(0, data));

        Assert.Equal((ushort)0x220d, checksum);
    }

    [Fact]
    public void ArpAnnouncement_Request_HasGratuitousLayout()
    {
        var packet = new byte[ArpAnnouncementPacket.Length];

        ArpAnnouncementPacket.Write(packet, PhysicalAddress.Parse("02-A0-00-00-00-01"), IPAddress.Parse("192.0.2.10"), reply: false);

        Assert.Equal(
            Convert.FromHexString("0001" + "0800" + "06" + "04" + "0001" + "02a000000001" + "c000020a" + "000000000000" + "c000020a"),
            packet);
    }

    [Fact]
    public void ArpAnnouncement_Reply_TargetMacIsSenderMac()
    {
        var packet = new byte[ArpAnnouncementPacket.Length];

        ArpAnnouncementPacket.Write(packet, PhysicalAddress.Parse("02-A0-00-00-00-01"), IPAddress.Parse("192.0.2.10"), reply: true);

        Assert.Equal(2, packet[7]);
        Assert.Equal(packet[8..14], packet[18..24]);
    }

    [Fact]
    public void NeighborAdvertisement_Layout_OverrideToAllNodesWithValidChecksum()
    {
        var packet = new byte[NeighborAdvertisementPacket.Length];
        var target = IPAddress.Parse("2001:db8::10");

        NeighborAdvertisementPacket.Write(packet, PhysicalAddress.Parse("02-A0-00-00-00-01"), target);

        Assert.Equal(0x60, packet[0]);
        Assert.Equal(32, packet[5]);
        Assert.Equal(58, packet[6]);
        Assert.Equal(255, packet[7]);
        Assert.Equal(target, new IPAddress(packet.AsSpan(8, 16)));
        Assert.Equal(IPAddress.Parse("ff02::1"), new IPAddress(packet.AsSpan(24, 16)));
        Assert.Equal(136, packet[40]);
        Assert.Equal(0, packet[41]);
        Assert.Equal(0x20, packet[44]);
        Assert.Equal(target, new IPAddress(packet.AsSpan(48, 16)));
        Assert.Equal(Convert.FromHexString("020102a000000001"), packet[64..72]);
        Assert.Equal(0, InternetChecksum.ForIcmpV6(packet.AsSpan(8, 16), packet.AsSpan(24, 16), packet.AsSpan(40)));
    }
}
