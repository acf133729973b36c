namespace AviOrleans.Netlink.Internal.Native;

/// <summary>Constants from &lt;linux/netlink.h&gt; (Tmds.LibC has only AF_NETLINK and SOL_NETLINK of it).</summary>
internal static class NetlinkConstants
{
    public const int NETLINK_ROUTE = 0;

    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_DROP_MEMBERSHIP = 2;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;

    public const ushort NLM_F_REQUEST = 0x01;
    public const ushort NLM_F_MULTI = 0x02;
    public const ushort NLM_F_ACK = 0x04;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_DUMP = 0x300;
    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    /// <summary>On an error message: extended-ACK attributes follow the (capped) request header.</summary>
    public const ushort NLM_F_ACK_TLVS = 0x200;
    /// <summary>On an error message: the request payload was not echoed (NETLINK_CAP_ACK).</summary>
    public const ushort NLM_F_CAPPED = 0x100;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;

    /// <summary>enum nlmsgerr_attrs: the kernel's human-readable error message (string).</summary>
    public const ushort NLMSGERR_ATTR_MSG = 1;

    /// <summary>NLMSG_ALIGNTO / RTA_ALIGNTO.</summary>
    public const int NLMSG_ALIGNTO = 4;

    public const int NLMSG_HDRLEN = 16;

    /// <summary>NLMSG_ALIGN / RTA_ALIGN.</summary>
    public static int Align(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}
