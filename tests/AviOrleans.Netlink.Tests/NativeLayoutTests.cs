using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AviOrleans.Netlink.Internal.Native;
using Tmds.Linux;

namespace AviOrleans.Netlink.Tests;

/// <summary>Sizes and offsets of the library's own interop structs (the ones Tmds.LibC lacks) against the C headers.
/// The expected numbers were printed by a C program with sizeof/offsetof over &lt;linux/netlink.h&gt;,
/// &lt;linux/rtnetlink.h&gt;, &lt;linux/if_addr.h&gt;, &lt;linux/if_packet.h&gt; and &lt;poll.h&gt; (gcc 12, Debian 12,
/// x86-64; the layouts are the same on arm64). Tmds.LibC tests its own structs against the headers; only the sizes the
/// library passes to the kernel (sockaddr_ll to bind/sendto, pollfd to poll) are checked here too.</summary>
public sealed class NativeLayoutTests
{
    [Theory]
    [InlineData(typeof(sockaddr_nl), 12)]
    [InlineData(typeof(nlmsghdr), 16)]
    [InlineData(typeof(nlmsgerr), 20)]
    [InlineData(typeof(rtattr), 4)]
    [InlineData(typeof(ifaddrmsg), 8)]
    [InlineData(typeof(ifa_cacheinfo), 16)]
    [InlineData(typeof(ifinfomsg), 16)]
    public void Struct_Size_MatchesHeader(Type type, int size)
    {
        Assert.Equal(size, Marshal.SizeOf(type));
    }

    [Theory]
    [InlineData(typeof(sockaddr_nl), nameof(sockaddr_nl.nl_pid), 4)]
    [InlineData(typeof(sockaddr_nl), nameof(sockaddr_nl.nl_groups), 8)]
    [InlineData(typeof(nlmsghdr), nameof(nlmsghdr.nlmsg_type), 4)]
    [InlineData(typeof(nlmsghdr), nameof(nlmsghdr.nlmsg_flags), 6)]
    [InlineData(typeof(nlmsghdr), nameof(nlmsghdr.nlmsg_seq), 8)]
    [InlineData(typeof(nlmsghdr), nameof(nlmsghdr.nlmsg_pid), 12)]
    [InlineData(typeof(nlmsgerr), nameof(nlmsgerr.msg), 4)]
    [InlineData(typeof(rtattr), nameof(rtattr.rta_type), 2)]
    [InlineData(typeof(ifaddrmsg), nameof(ifaddrmsg.ifa_prefixlen), 1)]
    [InlineData(typeof(ifaddrmsg), nameof(ifaddrmsg.ifa_flags), 2)]
    [InlineData(typeof(ifaddrmsg), nameof(ifaddrmsg.ifa_scope), 3)]
    [InlineData(typeof(ifaddrmsg), nameof(ifaddrmsg.ifa_index), 4)]
    [InlineData(typeof(ifa_cacheinfo), nameof(ifa_cacheinfo.ifa_valid), 4)]
    [InlineData(typeof(ifa_cacheinfo), nameof(ifa_cacheinfo.cstamp), 8)]
    [InlineData(typeof(ifa_cacheinfo), nameof(ifa_cacheinfo.tstamp), 12)]
    [InlineData(typeof(ifinfomsg), nameof(ifinfomsg.ifi_type), 2)]
    [InlineData(typeof(ifinfomsg), nameof(ifinfomsg.ifi_index), 4)]
    [InlineData(typeof(ifinfomsg), nameof(ifinfomsg.ifi_flags), 8)]
    [InlineData(typeof(ifinfomsg), nameof(ifinfomsg.ifi_change), 12)]
    public void Struct_FieldOffset_MatchesHeader(Type type, string field, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf(type, field));
    }

    [Fact]
    public void TmdsLibCStructs_PassedByTheLibrary_HaveTheHeaderSizes()
    {
        Assert.Equal(20, Unsafe.SizeOf<sockaddr_ll>());
        Assert.Equal(8, Unsafe.SizeOf<pollfd>());
    }

    [Fact]
    public void Constants_MatchHeaders()
    {
        Assert.Equal(11, RtnetlinkConstants.IFA_PROTO);
        Assert.Equal(8, RtnetlinkConstants.IFA_FLAGS);
        Assert.Equal(6, RtnetlinkConstants.IFA_CACHEINFO);
        Assert.Equal(9, RtnetlinkConstants.RTNLGRP_IPV6_IFADDR);
        Assert.Equal(11, NetlinkConstants.NETLINK_EXT_ACK);
        Assert.Equal(10, NetlinkConstants.NETLINK_CAP_ACK);
        Assert.Equal(1, NetlinkConstants.NETLINK_ADD_MEMBERSHIP);
        Assert.Equal(0x0806, EthernetConstants.ETH_P_ARP);
        Assert.Equal(0x86DD, EthernetConstants.ETH_P_IPV6);
        Assert.Equal(1, ProcessConstants.PR_SET_PDEATHSIG);
    }
}
