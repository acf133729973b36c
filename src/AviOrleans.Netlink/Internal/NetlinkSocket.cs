using System.Runtime.InteropServices;
using Tmds.Linux;

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
        _fd = networkNamespace.CreateSocket(LibC.AF_NETLINK, LibC.SOCK_RAW, NetlinkConstants.NETLINK_ROUTE);
        try
        {
            // SO_RCVBUFFORCE passes rmem_max but needs CAP_NET_ADMIN; an unprivileged reader keeps SO_RCVBUF.
            if (!TrySetInt(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, ReceiveBufferBytes))
            {
                _ = TrySetInt(LibC.SOL_SOCKET, LibC.SO_RCVBUF, ReceiveBufferBytes);
            }

            // Only the header of a failed request is echoed back (NETLINK_CAP_ACK), plus the kernel's own
            // explanation of the error (NETLINK_EXT_ACK). Both are best effort: old kernels lack them.
            _ = TrySetInt(LibC.SOL_NETLINK, NetlinkConstants.NETLINK_CAP_ACK, 1);
            _ = TrySetInt(LibC.SOL_NETLINK, NetlinkConstants.NETLINK_EXT_ACK, 1);

            var address = new sockaddr_nl { nl_family = (ushort)LibC.AF_NETLINK };
            using (var fd = _fd.Borrow())
            {
                if (LibC.bind(fd.Fd, (sockaddr*)&address, sizeof(sockaddr_nl)) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    throw new NetlinkException($"Binding the netlink socket failed ({Errno.Name(errno)}).", errno);
                }

                socklen_t length = sizeof(sockaddr_nl);
                if (LibC.getsockname(fd.Fd, (sockaddr*)&address, &length) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    throw new NetlinkException($"getsockname on the netlink socket failed ({Errno.Name(errno)}).", errno);
                }
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
        if (!TrySetInt(LibC.SOL_NETLINK, NetlinkConstants.NETLINK_ADD_MEMBERSHIP, group, out var errno))
        {
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
                long sent;
                int errno;
                using (var fd = _fd.Borrow())
                {
                    sent = LibC.send(fd.Fd, pointer, buffer.Length, 0);
                    errno = Marshal.GetLastPInvokeError();
                }

                if (sent >= 0)
                {
                    if (sent != buffer.Length)
                    {
                        throw new NetlinkException($"The kernel took {sent} of {buffer.Length} netlink bytes.");
                    }

                    return;
                }

                if (errno != LibC.EINTR)
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
        if (!WaitReadable(timeoutMilliseconds))
        {
            return 0;
        }

        fixed (byte* pointer = buffer)
        {
            while (true)
            {
                long received;
                int errno;
                using (var fd = _fd.Borrow())
                {
                    // MSG_TRUNC makes recv return the real datagram length, so truncation is detected, not silent.
                    received = LibC.recv(fd.Fd, pointer, buffer.Length, LibC.MSG_TRUNC | LibC.MSG_DONTWAIT);
                    errno = Marshal.GetLastPInvokeError();
                }

                if (received >= 0)
                {
                    if (received > buffer.Length)
                    {
                        throw new NetlinkException($"A netlink datagram of {received} bytes did not fit the {buffer.Length}-byte buffer.");
                    }

                    return (int)received;
                }

                if (errno == LibC.EINTR)
                {
                    continue;
                }

                if (errno == LibC.EAGAIN)
                {
                    return 0;
                }

                throw new NetlinkException($"Receiving from rtnetlink failed ({Errno.Name(errno)}).", errno);
            }
        }
    }

    public void Dispose() => _fd.Dispose();

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for a datagram; false when none came in time.</summary>
    private bool WaitReadable(int timeoutMilliseconds)
    {
        using var fd = _fd.Borrow();
        var poll = new pollfd { fd = fd.Fd, events = LibC.POLLIN };
        while (true)
        {
            var ready = Interop.Libc.Poll(&poll, 1, timeoutMilliseconds);
            if (ready >= 0)
            {
                return ready > 0;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                throw new NetlinkException($"poll on the netlink socket failed ({Errno.Name(errno)}).", errno);
            }
        }
    }

    private bool TrySetInt(int level, int option, int value) => TrySetInt(level, option, value, out _);

    private bool TrySetInt(int level, int option, int value, out int errno)
    {
        using var fd = _fd.Borrow();
        if (LibC.setsockopt(fd.Fd, level, option, &value, sizeof(int)) == 0)
        {
            errno = 0;
            return true;
        }

        errno = Marshal.GetLastPInvokeError();
        return false;
    }
}
