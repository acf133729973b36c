using System.Runtime.InteropServices;

namespace AviOrleans.Netlink.Internal;

/// <summary>
/// An AF_NETLINK/NETLINK_ROUTE socket: binding, sending whole buffers, receiving one datagram at a time with a
/// bounded wait. Not thread-safe; the owners serialise calls.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    /// <summary>Receive buffer asked for: each ACK is its own skb (~1 KiB of accounting), so a batch of a few
    /// hundred requests needs far more than the 208 KiB default before the kernel would drop ACKs (ENOBUFS).</summary>
    private const int ReceiveBufferBytes = 8 * 1024 * 1024;

    private readonly SafeFileDescriptorHandle _fd;
    private uint _sequence;

    public NetlinkSocket(NetworkNamespace networkNamespace)
    {
        _fd = networkNamespace.CreateSocket(SocketConstants.AF_NETLINK, SocketConstants.SOCK_RAW, NetlinkConstants.NETLINK_ROUTE);
        try
        {
            // SO_RCVBUFFORCE passes rmem_max but needs CAP_NET_ADMIN; an unprivileged reader keeps SO_RCVBUF.
            if (!TrySetInt(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUFFORCE, ReceiveBufferBytes))
            {
                _ = TrySetInt(SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUF, ReceiveBufferBytes);
            }

            // Only the header of a failed request is echoed back (NETLINK_CAP_ACK), plus the kernel's own
            // explanation of the error (NETLINK_EXT_ACK). Both are best effort: old kernels lack them.
            _ = TrySetInt(NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_CAP_ACK, 1);
            _ = TrySetInt(NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_EXT_ACK, 1);

            var address = new sockaddr_nl { nl_family = SocketConstants.AF_NETLINK };
            if (Interop.Libc.Bind(_fd, (byte*)&address, (uint)sizeof(sockaddr_nl)) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new NetlinkException($"Binding the netlink socket failed ({Errno.Name(errno)}).", errno);
            }

            uint length = (uint)sizeof(sockaddr_nl);
            if (Interop.Libc.GetSockName(_fd, (byte*)&address, &length) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new NetlinkException($"getsockname on the netlink socket failed ({Errno.Name(errno)}).", errno);
            }

            PortId = address.nl_pid;
        }
        catch
        {
            _fd.Dispose();
            throw;
        }
    }

    /// <summary>The port id the kernel assigned at bind; replies carry it in nlmsg_pid.</summary>
    public uint PortId { get; }

    /// <summary>The next request sequence number.</summary>
    public uint NextSequence() => unchecked(++_sequence);

    /// <summary>Joins a multicast group (RTNLGRP_*), for notifications.</summary>
    public void AddMembership(int group)
    {
        if (!TrySetInt(NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_ADD_MEMBERSHIP, group))
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new NetlinkException($"Joining rtnetlink group {group} failed ({Errno.Name(errno)}).", errno);
        }
    }

    /// <summary>Sends one buffer (one or many requests) to the kernel.</summary>
    public void Send(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            while (true)
            {
                var sent = Interop.Libc.Send(_fd, pointer, (nuint)buffer.Length, 0);
                if (sent >= 0)
                {
                    if (sent != buffer.Length)
                    {
                        throw new NetlinkException($"The kernel took {sent} of {buffer.Length} netlink bytes.");
                    }

                    return;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    throw new NetlinkException($"Sending to rtnetlink failed ({Errno.Name(errno)}).", errno);
                }
            }
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/>, waiting at most <paramref name="timeoutMilliseconds"/>.
    /// Returns its length, or 0 when nothing arrived in time. Throws on a truncated datagram and on socket
    /// errors; ENOBUFS (the kernel dropped messages because the receive queue was full) has its own errno.
    /// </summary>
    public int Receive(Span<byte> buffer, int timeoutMilliseconds)
    {
        var poll = new pollfd { fd = _fd.Fd, events = SocketConstants.POLLIN };
        bool added = false;
        _fd.DangerousAddRef(ref added);
        try
        {
            poll.fd = _fd.Fd;
            while (true)
            {
                var ready = Interop.Libc.Poll(&poll, 1, timeoutMilliseconds);
                if (ready < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    throw new NetlinkException($"poll on the netlink socket failed ({Errno.Name(errno)}).", errno);
                }

                if (ready == 0)
                {
                    return 0;
                }

                break;
            }
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }

        fixed (byte* pointer = buffer)
        {
            while (true)
            {
                // MSG_TRUNC makes recv return the real datagram length, so truncation is detected, not silent.
                var received = Interop.Libc.Recv(_fd, pointer, (nuint)buffer.Length, SocketConstants.MSG_TRUNC | SocketConstants.MSG_DONTWAIT);
                if (received >= 0)
                {
                    if (received > buffer.Length)
                    {
                        throw new NetlinkException($"A netlink datagram of {received} bytes did not fit the {buffer.Length}-byte buffer.");
                    }

                    return (int)received;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                if (errno == Errno.EAGAIN)
                {
                    return 0;
                }

                throw new NetlinkException($"Receiving from rtnetlink failed ({Errno.Name(errno)}).", errno);
            }
        }
    }

    public void Dispose() => _fd.Dispose();

    private bool TrySetInt(int level, int option, int value)
    {
        return Interop.Libc.SetSockOpt(_fd, level, option, &value, sizeof(int)) == 0;
    }
}
