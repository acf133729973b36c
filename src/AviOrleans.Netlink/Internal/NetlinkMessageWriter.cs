using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace AviOrleans.Netlink.Internal;

/// <summary>
/// Builds one or more netlink messages back to back in a growable buffer.
/// </summary>
/// <remarks>
/// <code>
///  0               16            16+sizeof(family header)
///  +---------------+-------------+----------+---------+----------+-- ...
///  |   nlmsghdr    | ifaddrmsg / | rtattr   | value   | pad to 4 | next rtattr ...
///  | len type flags| ifinfomsg   | len type |         |          |
///  | seq pid       |             |          |         |          |
///  +---------------+-------------+----------+---------+----------+-- ...
///  nlmsg_len covers everything up to the end of the last attribute; the next message starts NLMSG_ALIGNed.
/// </code>
/// </remarks>
internal sealed class NetlinkMessageWriter
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _length;

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Starts a message; returns its offset for <see cref="EndMessage"/>.</summary>
    public int BeginMessage(ushort type, ushort flags, uint sequence)
    {
        var start = _length;
        Append(new nlmsghdr { nlmsg_type = type, nlmsg_flags = flags, nlmsg_seq = sequence });
        return start;
    }

    /// <summary>Sets nlmsg_len of the message that starts at <paramref name="start"/>.</summary>
    public void EndMessage(int start)
    {
        // Netlink headers are in host byte order.
        MemoryMarshal.Write(_buffer.AsSpan(start), (uint)(_length - start));
    }

    /// <summary>Appends a fixed header (ifaddrmsg, ifinfomsg), padded to 4 bytes.</summary>
    public void Append<T>(in T value)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        var span = Reserve(NetlinkConstants.Align(size));
        MemoryMarshal.Write(span, in value);
    }

    public void Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var length = 4 + value.Length;
        var span = Reserve(NetlinkConstants.Align(length));
        MemoryMarshal.Write(span, new rtattr { rta_len = (ushort)length, rta_type = type });
        value.CopyTo(span[4..]);
    }

    public void AttributeByte(ushort type, byte value) => Attribute(type, [value]);

    public void AttributeUInt32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        MemoryMarshal.Write(bytes, in value);
        Attribute(type, bytes);
    }

    public void AttributeStruct<T>(ushort type, in T value)
        where T : unmanaged
    {
        Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));
    }

    /// <summary>A NUL-terminated string attribute (IFLA_IFNAME, IFA_LABEL).</summary>
    public void AttributeString(ushort type, string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = count < 256 ? stackalloc byte[count + 1] : new byte[count + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[count] = 0;
        Attribute(type, bytes);
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}
