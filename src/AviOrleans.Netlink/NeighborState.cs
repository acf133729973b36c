namespace AviOrleans.Netlink;

/// <summary>The state of a neighbour (ARP/NDP) entry: the <c>NUD_*</c> flags of <c>ndmsg.ndm_state</c> from
/// &lt;linux/neighbour.h&gt;.</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1028:Enum Storage should be Int32", Justification = "Mirrors the kernel's u16 ndm_state.")]
public enum NeighborState : ushort
{
    /// <summary>NUD_NONE: no state (a new or deleted entry).</summary>
    None = 0,

    /// <summary>NUD_INCOMPLETE: resolution in progress, no link-layer address yet.</summary>
    Incomplete = 0x01,

    /// <summary>NUD_REACHABLE: confirmed reachable recently.</summary>
    Reachable = 0x02,

    /// <summary>NUD_STALE: usable, but not confirmed lately (also what a gratuitous ARP leaves behind).</summary>
    Stale = 0x04,

    /// <summary>NUD_DELAY: waiting for upper-layer confirmation before probing.</summary>
    Delay = 0x08,

    /// <summary>NUD_PROBE: probing with unicast solicitations.</summary>
    Probe = 0x10,

    /// <summary>NUD_FAILED: resolution failed.</summary>
    Failed = 0x20,

    /// <summary>NUD_NOARP: no resolution needed on this link.</summary>
    NoArp = 0x40,

    /// <summary>NUD_PERMANENT: set by hand, never changed by the kernel.</summary>
    Permanent = 0x80,
}
