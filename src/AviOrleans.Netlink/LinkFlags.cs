namespace AviOrleans.Netlink;

/// <summary>Interface flags (<c>IFF_*</c> from &lt;linux/if.h&gt;) as reported in <c>ifinfomsg.ifi_flags</c>.</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A set of kernel flags (IFF_*, IFA_F_*), named as the kernel names them.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1028:Enum Storage should be Int32", Justification = "Mirrors the kernel's unsigned ifi_flags.")]
public enum LinkFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>IFF_UP: administratively up.</summary>
    Up = 0x1,

    /// <summary>IFF_BROADCAST: the link supports broadcast.</summary>
    Broadcast = 0x2,

    /// <summary>IFF_LOOPBACK: a loopback interface.</summary>
    Loopback = 0x8,

    /// <summary>IFF_POINTOPOINT: a point-to-point link.</summary>
    PointToPoint = 0x10,

    /// <summary>IFF_RUNNING: operationally up (RFC 2863 "up").</summary>
    Running = 0x40,

    /// <summary>IFF_NOARP: no ARP on this link.</summary>
    NoArp = 0x80,

    /// <summary>IFF_MULTICAST: the link supports multicast.</summary>
    Multicast = 0x1000,

    /// <summary>IFF_LOWER_UP: the driver signals carrier (L1 up).</summary>
    LowerUp = 0x10000,
}
