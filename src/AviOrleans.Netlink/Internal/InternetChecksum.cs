using System.Buffers.Binary;

namespace AviOrleans.Netlink.Internal;

/// <summary>The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.</summary>
internal static class InternetChecksum
{
    /// <summary>The ICMPv6 checksum over the RFC 8200 §8.1 pseudo-header and <paramref name="message"/> (whose checksum field is zero).</summary>
    public static ushort ForIcmpV6(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ReadOnlySpan<byte> message)
    {
        uint sum = 0;
        sum = Add(sum, source);
        sum = Add(sum, destination);
        sum += (uint)message.Length >> 16;
        sum += (uint)message.Length & 0xFFFF;
        sum += 58; // next header: ICMPv6
        sum = Add(sum, message);
        return Fold(sum);
    }

    /// <summary>Adds <paramref name="data"/> as big-endian 16-bit words (an odd last byte is padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        return sum;
    }

    /// <summary>Folds the carries and complements.</summary>
    public static ushort Fold(uint sum)
    {
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
