using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;

namespace AviOrleans.Netlink.Tests;

public sealed class PacketReceiverTests
{
    [Fact]
    public async Task TryReceive_ArpReceiver_GetsTheGratuitousArpButNotTheNeighborAdvertisementSentBeforeIt()
    {
        await using var pair = await VethPair.CreateAsync();
        using var client = NetlinkRouteClient.Open(pair.Local);
        var link = client.GetLink(VethPair.LocalInterface);
        using var peerClient = NetlinkRouteClient.Open(pair.Peer);
        using var receiver = PacketReceiver.Open(peerClient.GetLink(VethPair.PeerInterface), PacketReceiver.Arp, pair.Peer);
        using var announcer = NeighborAnnouncer.Open(pair.Local);
        var frame = new byte[1514];

        announcer.SendUnsolicitedNeighborAdvertisement(link, IPAddress.Parse("2001:db8::20"));
        announcer.SendGratuitousArp(link, IPAddress.Parse("192.0.2.20"), GratuitousArpForm.Request);
        var received = receiver.TryReceive(frame, TimeSpan.FromSeconds(10), out var length);

        Assert.True(received);
        Assert.Equal(14 + 28, length);
        Assert.Equal(PacketReceiver.Arp, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)));
        Assert.Equal(IPAddress.Parse("192.0.2.20"), new IPAddress(frame.AsSpan(14 + 14, 4)));
    }

    [Fact]
    public async Task TryReceive_NothingArrives_ReturnsFalseAfterTheTimeout()
    {
        await using var pair = await VethPair.CreateAsync();
        using var peerClient = NetlinkRouteClient.Open(pair.Peer);
        using var receiver = PacketReceiver.Open(peerClient.GetLink(VethPair.PeerInterface), PacketReceiver.Arp, pair.Peer);

        var received = receiver.TryReceive(new byte[1514], TimeSpan.FromMilliseconds(200), out var length);

        Assert.False(received);
        Assert.Equal(0, length);
    }

    [Fact]
    public async Task Open_InterfaceIndexUnknown_ThrowsInterfaceNotFound()
    {
        await using var pair = await VethPair.CreateAsync();
        var missing = new NetworkLink(99999, "gone0", PhysicalAddress.None, LinkFlags.None, LinkOperationalState.Unknown, 1500);

        var error = Assert.Throws<NetworkInterfaceNotFoundException>(() => PacketReceiver.Open(missing, PacketReceiver.Arp, pair.Peer));

        Assert.Equal("gone0", error.InterfaceName);
        Assert.Contains("gone0", error.Message, StringComparison.Ordinal);
    }
}
