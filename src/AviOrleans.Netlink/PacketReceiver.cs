using System.Net;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AviOrleans.Netlink;

/// <summary>
/// Receives whole Ethernet frames (header included) that cross one interface, on an AF_PACKET/SOCK_RAW socket bound
/// to that interface and one EtherType: for example ARP (0x0806), to see who else claims or asks for a VIP, or to
/// check on the far side of a link that an announcement arrived. Needs CAP_NET_RAW. One receiving thread at a time.
/// </summary>
/// <remarks>
/// The socket is created with protocol 0, which receives nothing, and only then bound to the interface and the
/// EtherType, so no frame of another interface is ever queued on it. Frames are queued from the bind on; the kernel
/// drops them when the receive buffer is full, so receive promptly.
/// </remarks>
public sealed class PacketReceiver : IDisposable
{
    /// <summary>The EtherType of ARP.</summary>
    public const ushort Arp = EthernetConstants.ETH_P_ARP;

    /// <summary>The EtherType of IPv6 (neighbour discovery rides on ICMPv6).</summary>
    public const ushort IPv6 = EthernetConstants.ETH_P_IPV6;

    /// <summary>Every EtherType (ETH_P_ALL): also sees the frames the host itself sends on the interface.</summary>
    public const ushort AllProtocols = EthernetConstants.ETH_P_ALL;

    private readonly SafeFileDescriptorHandle _socket;

    private unsafe PacketReceiver(NetworkLink link, ushort etherType, NetworkNamespace networkNamespace)
    {
        _socket = networkNamespace.CreateSocket(LibC.AF_PACKET, LibC.SOCK_RAW, 0);
        var address = new sockaddr_ll
        {
            sll_family = (ushort)LibC.AF_PACKET,
            sll_protocol = (ushort)IPAddress.HostToNetworkOrder((short)etherType),
            sll_ifindex = link.Index,
        };
        int result;
        int errno;
        using (var fd = _socket.Borrow())
        {
            result = LibC.bind(fd.Fd, (sockaddr*)&address, sizeof(sockaddr_ll));
            errno = Marshal.GetLastPInvokeError();
        }

        if (result != 0)
        {
            _socket.Dispose();
            throw errno == LibC.ENODEV || errno == LibC.ENXIO
                ? new NetworkInterfaceNotFoundException($"Receiving on '{link.Name}' (index {link.Index}) failed: no such interface ({Errno.Name(errno)}).", link.Name)
                : new NetlinkException($"Binding a packet socket to '{link.Name}' (EtherType 0x{etherType:x4}) failed ({Errno.Name(errno)}).", errno);
        }
    }

    /// <summary>
    /// Opens a receiver for the frames of <paramref name="etherType"/> (e.g. <see cref="Arp"/>) on <paramref name="link"/>,
    /// in <paramref name="networkNamespace"/> (default: the current one). Throws <see cref="NetlinkPermissionException"/>
    /// without CAP_NET_RAW and <see cref="NetworkInterfaceNotFoundException"/> when the interface is gone.
    /// </summary>
    public static PacketReceiver Open(NetworkLink link, ushort etherType, NetworkNamespace? networkNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentOutOfRangeException.ThrowIfZero(etherType);
        return new PacketReceiver(link, etherType, networkNamespace ?? NetworkNamespace.Current);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (blocking the calling thread) for the next frame and copies it, Ethernet
    /// header first, into <paramref name="frame"/>. Returns false when none arrived in time. A frame longer than the
    /// buffer is cut to it; a buffer of the MTU plus 14 bytes holds every frame.
    /// </summary>
    public unsafe bool TryReceive(Span<byte> frame, TimeSpan timeout, out int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfZero(frame.Length, nameof(frame));
        var deadline = Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        fixed (byte* pointer = frame)
        {
            while (true)
            {
                long received;
                int errno;
                using (var fd = _socket.Borrow())
                {
                    received = LibC.recv(fd.Fd, pointer, frame.Length, LibC.MSG_DONTWAIT);
                    errno = Marshal.GetLastPInvokeError();
                }

                if (received >= 0)
                {
                    length = (int)received;
                    return true;
                }

                if (errno != LibC.EINTR && errno != LibC.EAGAIN)
                {
                    throw new NetlinkException($"Receiving from a packet socket failed ({Errno.Name(errno)}).", errno);
                }

                var remaining = deadline - Environment.TickCount64;
                if (errno == LibC.EAGAIN && remaining <= 0)
                {
                    length = 0;
                    return false;
                }

                if (errno == LibC.EAGAIN)
                {
                    WaitReadable((int)Math.Min(remaining, int.MaxValue));
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    private unsafe void WaitReadable(int timeoutMilliseconds)
    {
        using var fd = _socket.Borrow();
        var poll = new pollfd { fd = fd.Fd, events = LibC.POLLIN };
        if (Interop.Libc.Poll(&poll, 1, timeoutMilliseconds) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                throw new NetlinkException($"poll on a packet socket failed ({Errno.Name(errno)}).", errno);
            }
        }
    }
}
