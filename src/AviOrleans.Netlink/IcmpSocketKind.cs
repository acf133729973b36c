namespace AviOrleans.Netlink;

/// <summary>Which kind of ICMP socket an <see cref="IcmpEchoClient"/> uses.</summary>
public enum IcmpSocketKind
{
    /// <summary>A datagram ("ping") socket when the process's group is in <c>net.ipv4.ping_group_range</c>, else a raw one.</summary>
    Any = 0,

    /// <summary>
    /// <c>SOCK_DGRAM</c> with <c>IPPROTO_ICMP</c>/<c>IPPROTO_ICMPV6</c>: no capability needed (the group must be in
    /// <c>net.ipv4.ping_group_range</c> of the namespace); the kernel sets the identifier and hands this socket only its own replies.
    /// </summary>
    Datagram = 1,

    /// <summary><c>SOCK_RAW</c>: needs <c>CAP_NET_RAW</c>; sees every echo reply of the namespace and keeps its own by identifier.</summary>
    Raw = 2,
}
