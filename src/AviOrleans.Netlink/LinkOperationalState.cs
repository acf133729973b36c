namespace AviOrleans.Netlink;

/// <summary>RFC 2863 operational state of a link (<c>IF_OPER_*</c> in &lt;linux/if.h&gt;, attribute IFLA_OPERSTATE).</summary>
public enum LinkOperationalState
{
    /// <summary>IF_OPER_UNKNOWN: the driver does not report a state (common for virtual links such as loopback).</summary>
    Unknown = 0,

    /// <summary>IF_OPER_NOTPRESENT.</summary>
    NotPresent = 1,

    /// <summary>IF_OPER_DOWN.</summary>
    Down = 2,

    /// <summary>IF_OPER_LOWERLAYERDOWN: e.g. the veth peer is down.</summary>
    LowerLayerDown = 3,

    /// <summary>IF_OPER_TESTING.</summary>
    Testing = 4,

    /// <summary>IF_OPER_DORMANT.</summary>
    Dormant = 5,

    /// <summary>IF_OPER_UP.</summary>
    Up = 6,
}
