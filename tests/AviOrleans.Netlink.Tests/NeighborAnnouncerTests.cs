using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using AviOrleans.Netlink.Internal;

namespace AviOrleans.Netlink.Tests;

public sealed class NeighborAnnouncerTests
{
    private const string StaleMac = "02:bb:bb:bb:bb:bb";
    private static readonly byte[] LocalMacBytes = [0x02, 0xa0, 0x00, 0x00, 0x00, 0x01];

    [Theory]
    [InlineData(GratuitousArpForm.Request)]
    [InlineData(GratuitousArpForm.Reply)]
    public async Task GratuitousArp_PeerHasStaleEntry_FrameSeenAndEntryMovesToNewOwner(GratuitousArpForm form)
    {
        await using var pair = await VethPair.CreateAsync();
        var vip = IPAddress.Parse("192.0.2.10");
        await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "addr", "add", "192.0.2.1/24", "dev", VethPair.PeerInterface);
        // The entry exists before the GARP: Linux updates an existing entry from a gratuitous ARP whatever
        // arp_accept says (arp_accept=0 is the default and only stops a GARP from creating a new entry).
        await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "neigh", "replace", "192.0.2.10", "lladdr", StaleMac, "dev", VethPair.PeerInterface, "nud", "stale");
        using var client = NetlinkRouteClient.Open(pair.Local);
        client.AddAddress(new AddressRequest(vip, 24, VethPair.LocalInterface));
        var link = client.GetLink(VethPair.LocalInterface);
        using var peerClient = NetlinkRouteClient.Open(pair.Peer);
        using var capture = PacketReceiver.Open(peerClient.GetLink(VethPair.PeerInterface), PacketReceiver.Arp, pair.Peer);
        using var announcer = NeighborAnnouncer.Open(pair.Local);

        await announcer.AnnounceAsync(link, vip, new AnnouncementOptions { Count = 2, Interval = TimeSpan.FromMilliseconds(20), ArpForm = form }, cancellationToken: TestContext.Current.CancellationToken);

        var frame = capture.WaitFor(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x0806, TimeSpan.FromSeconds(10));
        Assert.NotNull(frame);
        Assert.Equal([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], frame[0..6]);
        Assert.Equal(LocalMacBytes, frame[6..12]);
        var arp = frame.AsSpan(14);
        Assert.Equal(form == GratuitousArpForm.Reply ? 2 : 1, BinaryPrimitives.ReadUInt16BigEndian(arp[6..]));
        Assert.Equal(LocalMacBytes, arp[8..14].ToArray());
        Assert.Equal(vip, new IPAddress(arp[14..18]));
        Assert.Equal(vip, new IPAddress(arp[24..28]));
        Assert.Equal(VethPair.LocalMac, await WaitForNeighborMacAsync(pair.PeerNamespace, "192.0.2.10", VethPair.LocalMac));
    }

    [Fact]
    public async Task UnsolicitedNeighborAdvertisement_PeerHasStaleEntry_FrameValidAndEntryMovesToNewOwner()
    {
        await using var pair = await VethPair.CreateAsync();
        var vip = IPAddress.Parse("2001:db8::10");
        await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "addr", "add", "2001:db8::1/64", "dev", VethPair.PeerInterface, "nodad");
        await HostCommand.RunAsync("ip", "-n", pair.PeerNamespace, "neigh", "replace", "2001:db8::10", "lladdr", StaleMac, "dev", VethPair.PeerInterface, "nud", "stale");
        using var client = NetlinkRouteClient.Open(pair.Local);
        client.AddAddress(new AddressRequest(vip, 128, VethPair.LocalInterface));
        var link = client.GetLink(VethPair.LocalInterface);
        using var peerClient = NetlinkRouteClient.Open(pair.Peer);
        using var capture = PacketReceiver.Open(peerClient.GetLink(VethPair.PeerInterface), PacketReceiver.IPv6, pair.Peer);
        using var announcer = NeighborAnnouncer.Open(pair.Local);

        await announcer.AnnounceAsync(link, vip, new AnnouncementOptions { Count = 2, Interval = TimeSpan.FromMilliseconds(20) }, cancellationToken: TestContext.Current.CancellationToken);

        var frame = capture.WaitFor(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x86DD && f.Length >= 14 + 40 + 32 && f[14 + 6] == 58 && f[14 + 40] == 136, TimeSpan.FromSeconds(10));
        Assert.NotNull(frame);
        Assert.Equal([0x33, 0x33, 0, 0, 0, 1], frame[0..6]);
        Assert.Equal(LocalMacBytes, frame[6..12]);
        var ip = frame.AsSpan(14);
        Assert.Equal(255, ip[7]);
        Assert.Equal(IPAddress.Parse("ff02::1"), new IPAddress(ip[24..40]));
        var icmp = ip[40..72];
        Assert.Equal(0x20, icmp[4]);
        Assert.Equal(vip, new IPAddress(icmp[8..24]));
        Assert.Equal(2, icmp[24]);
        Assert.Equal(1, icmp[25]);
        Assert.Equal(LocalMacBytes, icmp[26..32].ToArray());
        // A correct checksum makes the sum over pseudo-header and message (checksum included) fold to zero.
        Assert.Equal(0, InternetChecksum.ForIcmpV6(ip[8..24], ip[24..40], icmp));
        Assert.Equal(VethPair.LocalMac, await WaitForNeighborMacAsync(pair.PeerNamespace, "2001:db8::10", VethPair.LocalMac));
    }

    private static async Task<string?> WaitForNeighborMacAsync(string namespaceName, string address, string expected)
    {
        string? mac = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var json = await HostCommand.RunAsync("ip", "-n", namespaceName, "-j", "neigh", "show", address, "dev", VethPair.PeerInterface);
            using var document = JsonDocument.Parse(json);
            mac = document.RootElement.EnumerateArray().Select(e => e.TryGetProperty("lladdr", out var l) ? l.GetString() : null).FirstOrDefault();
            if (mac == expected)
            {
                return mac;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return mac;
    }
}
