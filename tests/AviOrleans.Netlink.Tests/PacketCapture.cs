using System.Net;
using System.Runtime.InteropServices;
using AviOrleans.Netlink.Internal;
using AviOrleans.Netlink.Internal.Native;

namespace AviOrleans.Netlink.Tests;

/// <summary>Captures whole Ethernet frames on one interface with an AF_PACKET/SOCK_RAW socket (ETH_P_ALL), the way
/// tcpdump would, but without a process whose start-up could race the packets.</summary>
internal sealed unsafe class PacketCapture : IDisposable
{
    private readonly SafeFileDescriptorHandle _socket;

    public PacketCapture(NetworkNamespace networkNamespace, int interfaceIndex)
    {
        var protocol = (ushort)IPAddress.HostToNetworkOrder((short)SocketConstants.ETH_P_ALL);
        _socket = networkNamespace.CreateSocket(SocketConstants.AF_PACKET, SocketConstants.SOCK_RAW, protocol);
        var address = new sockaddr_ll { sll_family = SocketConstants.AF_PACKET, sll_protocol = protocol, sll_ifindex = interfaceIndex };
        if (Interop.Libc.Bind(_socket, (byte*)&address, (uint)sizeof(sockaddr_ll)) != 0)
        {
            throw new InvalidOperationException($"bind AF_PACKET failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Receives frames until <paramref name="match"/> accepts one or <paramref name="timeout"/> passes.</summary>
    public byte[]? WaitFor(Func<byte[], bool> match, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var buffer = new byte[2048];
        while (Environment.TickCount64 < deadline)
        {
            var poll = new pollfd { fd = _socket.Fd, events = SocketConstants.POLLIN };
            if (Interop.Libc.Poll(&poll, 1, 100) <= 0)
            {
                continue;
            }

            nint received;
            fixed (byte* pointer = buffer)
            {
                received = Interop.Libc.Recv(_socket, pointer, (nuint)buffer.Length, SocketConstants.MSG_DONTWAIT);
            }

            if (received > 0)
            {
                var frame = buffer.AsSpan(0, (int)received).ToArray();
                if (match(frame))
                {
                    return frame;
                }
            }
        }

        return null;
    }

    public void Dispose() => _socket.Dispose();
}
