namespace AviOrleans.Netlink.Internal.Native;

/// <summary>Socket, file and namespace constants from &lt;sys/socket.h&gt;, &lt;fcntl.h&gt;, &lt;sched.h&gt;, &lt;poll.h&gt;,
/// &lt;linux/if_ether.h&gt; and &lt;linux/if_arp.h&gt; (x86-64 and arm64 share these values).</summary>
internal static class SocketConstants
{
    public const int AF_UNSPEC = 0;
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int AF_NETLINK = 16;
    public const int AF_PACKET = 17;

    public const int SOCK_DGRAM = 2;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;

    public const int SOL_SOCKET = 1;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_SNDBUFFORCE = 32;
    public const int SO_RCVBUFFORCE = 33;

    public const int MSG_PEEK = 0x2;
    public const int MSG_TRUNC = 0x20;
    public const int MSG_DONTWAIT = 0x40;

    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;

    public const int CLONE_NEWNET = 0x40000000;

    public const short POLLIN = 0x1;

    public const ushort ETH_P_ALL = 0x0003;
    public const ushort ETH_P_IP = 0x0800;
    public const ushort ETH_P_ARP = 0x0806;
    public const ushort ETH_P_IPV6 = 0x86DD;

    public const ushort ARPHRD_ETHER = 1;
}
