using System.Runtime.InteropServices;
using System.Text;

namespace AviOrleans.Netlink.Internal;

/// <summary>Walks the messages of a received datagram and the attributes of a message.</summary>
internal static class NetlinkMessageReader
{
    /// <summary>Takes the next message off <paramref name="buffer"/>; false at the end. Throws on a malformed length.</summary>
    public static bool TryReadMessage(ref ReadOnlySpan<byte> buffer, out nlmsghdr header, out ReadOnlySpan<byte> payload)
    {
        if (buffer.Length < NetlinkConstants.NLMSG_HDRLEN)
        {
            header = default;
            payload = default;
            return false;
        }

        header = MemoryMarshal.Read<nlmsghdr>(buffer);
        if (header.nlmsg_len < NetlinkConstants.NLMSG_HDRLEN || header.nlmsg_len > buffer.Length)
        {
            throw new NetlinkException($"Malformed netlink message: nlmsg_len {header.nlmsg_len} with {buffer.Length} bytes left.");
        }

        payload = buffer[NetlinkConstants.NLMSG_HDRLEN..(int)header.nlmsg_len];
        var next = Math.Min(buffer.Length, NetlinkConstants.Align((int)header.nlmsg_len));
        buffer = buffer[next..];
        return true;
    }

    /// <summary>Takes the next attribute off <paramref name="attributes"/>; false at the end or on a truncated one.</summary>
    public static bool TryReadAttribute(ref ReadOnlySpan<byte> attributes, out ushort type, out ReadOnlySpan<byte> value)
    {
        if (attributes.Length < 4)
        {
            type = 0;
            value = default;
            return false;
        }

        var header = MemoryMarshal.Read<rtattr>(attributes);
        if (header.rta_len < 4 || header.rta_len > attributes.Length)
        {
            type = 0;
            value = default;
            return false;
        }

        // The top bits (NLA_F_NESTED, NLA_F_NET_BYTEORDER) are flags, not part of the type.
        type = (ushort)(header.rta_type & 0x3FFF);
        value = attributes[4..header.rta_len];
        attributes = attributes[Math.Min(attributes.Length, NetlinkConstants.Align(header.rta_len))..];
        return true;
    }

    /// <summary>A NUL-terminated string attribute value.</summary>
    public static string ReadString(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
    }

    /// <summary>
    /// Reads an NLMSG_ERROR payload: the negative errno (0 = ACK), the sequence of the request it answers
    /// and, with NETLINK_EXT_ACK, the kernel's message.
    /// </summary>
    /// <remarks>
    /// <code>
    ///  +-------+-------------------+------------------------------+------------------------+
    ///  | error | nlmsghdr of the   | request payload (absent when | NLMSGERR_ATTR_* TLVs   |
    ///  | s32   | request (16)      | NLM_F_CAPPED is set)         | (when NLM_F_ACK_TLVS)  |
    ///  +-------+-------------------+------------------------------+------------------------+
    /// </code>
    /// </remarks>
    public static int ReadError(in nlmsghdr header, ReadOnlySpan<byte> payload, out uint requestSequence, out string? kernelMessage)
    {
        kernelMessage = null;
        if (payload.Length < Marshal.SizeOf<nlmsgerr>())
        {
            throw new NetlinkException($"Malformed NLMSG_ERROR of {payload.Length} bytes.");
        }

        var error = MemoryMarshal.Read<nlmsgerr>(payload);
        requestSequence = error.msg.nlmsg_seq;
        if ((header.nlmsg_flags & NetlinkConstants.NLM_F_ACK_TLVS) != 0)
        {
            var offset = 4 + NetlinkConstants.NLMSG_HDRLEN;
            if ((header.nlmsg_flags & NetlinkConstants.NLM_F_CAPPED) == 0)
            {
                offset = 4 + NetlinkConstants.Align((int)error.msg.nlmsg_len);
            }

            if (offset < payload.Length)
            {
                var attributes = payload[offset..];
                while (TryReadAttribute(ref attributes, out var type, out var value))
                {
                    if (type == NetlinkConstants.NLMSGERR_ATTR_MSG)
                    {
                        kernelMessage = ReadString(value);
                    }
                }
            }
        }

        return error.error;
    }
}
