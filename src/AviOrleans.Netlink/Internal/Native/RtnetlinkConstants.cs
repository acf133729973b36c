namespace AviOrleans.Netlink.Internal.Native;

/// <summary>Constants from &lt;linux/rtnetlink.h&gt;, &lt;linux/if_addr.h&gt;, &lt;linux/if_link.h&gt;, &lt;linux/neighbour.h&gt; and &lt;linux/if.h&gt;.</summary>
internal static class RtnetlinkConstants
{
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_SETLINK = 19;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;
    public const ushort RTM_GETNEIGH = 30;

    // enum rtnetlink_groups
    public const int RTNLGRP_LINK = 1;
    public const int RTNLGRP_NEIGH = 3;
    public const int RTNLGRP_IPV4_IFADDR = 5;
    public const int RTNLGRP_IPV6_IFADDR = 9;

    // IFA_* attributes (enum in <linux/if_addr.h>)
    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
    public const ushort IFA_BROADCAST = 4;
    public const ushort IFA_CACHEINFO = 6;
    public const ushort IFA_FLAGS = 8;
    /// <summary>u8 address protocol, kernel 6.1 and later.</summary>
    public const ushort IFA_PROTO = 11;

    public const uint IFA_F_SECONDARY = 0x01;
    public const uint IFA_F_NODAD = 0x02;
    public const uint IFA_F_DADFAILED = 0x08;
    public const uint IFA_F_DEPRECATED = 0x20;
    public const uint IFA_F_TENTATIVE = 0x40;
    public const uint IFA_F_PERMANENT = 0x80;

    // NDA_* attributes (enum in <linux/neighbour.h>)
    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;

    /// <summary>INFINITY_LIFE_TIME in the kernel: an ifa_cacheinfo lifetime that never runs out.</summary>
    public const uint INFINITY_LIFE_TIME = 0xFFFFFFFF;

    // IFLA_* attributes (enum in <linux/if_link.h>)
    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_OPERSTATE = 16;
    public const ushort IFLA_AF_SPEC = 26;

    /// <summary>Inside IFLA_AF_SPEC/AF_INET: the IPv4 devconf values, one attribute per IPV4_DEVCONF_* id.</summary>
    public const ushort IFLA_INET_CONF = 1;

    /// <summary>IPV4_DEVCONF_PROMOTE_SECONDARIES from &lt;linux/ip.h&gt; (net.ipv4.conf.IF.promote_secondaries).</summary>
    public const ushort IPV4_DEVCONF_PROMOTE_SECONDARIES = 20;

    /// <summary>IFNAMSIZ from &lt;linux/if.h&gt;, including the terminating NUL.</summary>
    public const int IFNAMSIZ = 16;

    public const byte RT_SCOPE_UNIVERSE = 0;
    public const byte RT_SCOPE_LINK = 253;
    public const byte RT_SCOPE_HOST = 254;
}
