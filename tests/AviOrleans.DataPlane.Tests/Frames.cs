using System.Buffers.Binary;
using System.Net;
using AviOrleans.Netlink;

namespace AviOrleans.DataPlane.Tests;

/// <summary>Recognises announcements in captured Ethernet frames.</summary>
internal static class Frames
{
    /// <summary>A gratuitous ARP for <paramref name="address"/> (sender and target protocol address both the VIP).</summary>
    public static bool IsGratuitousArp(byte[] frame, IPAddress address) =>
        frame.Length >= 42
        && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) == 0x0806
        && new IPAddress(frame.AsSpan(28, 4)).Equals(address)
        && new IPAddress(frame.AsSpan(38, 4)).Equals(address);

    /// <summary>An unsolicited neighbour advertisement (ICMPv6 type 136) for <paramref name="address"/>.</summary>
    public static bool IsNeighborAdvertisement(byte[] frame, IPAddress address) =>
        frame.Length >= 78
        && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) == 0x86DD
        && frame[54] == 136
        && new IPAddress(frame.AsSpan(62, 16)).Equals(address);

    /// <summary>The Ethernet source of the frame, as "02:d0:00:00:00:10".</summary>
    public static string SourceMac(byte[] frame) => string.Join(':', frame.AsSpan(6, 6).ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Receives frames until <paramref name="match"/> accepts one or <paramref name="timeout"/> passes.</summary>
    public static byte[]? WaitFor(this PacketReceiver receiver, Func<byte[], bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var buffer = new byte[2048];
        for (var remaining = timeout; remaining > TimeSpan.Zero; remaining = deadline - DateTime.UtcNow)
        {
            if (receiver.TryReceive(buffer, remaining, out var length))
            {
                var frame = buffer.AsSpan(0, length).ToArray();
                if (match(frame))
                {
                    return frame;
                }
            }
        }

        return null;
    }
}
