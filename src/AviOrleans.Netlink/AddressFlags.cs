namespace AviOrleans.Netlink;

/// <summary>Address flags (<c>IFA_F_*</c> from &lt;linux/if_addr.h&gt;; the IFA_FLAGS attribute carries all 32 bits).</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A set of kernel flags (IFF_*, IFA_F_*), named as the kernel names them.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1028:Enum Storage should be Int32", Justification = "Mirrors the kernel's unsigned IFA_FLAGS.")]
public enum AddressFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>IFA_F_SECONDARY (IPv4: not the first address of its subnet; IPv6: IFA_F_TEMPORARY).</summary>
    Secondary = 0x01,

    /// <summary>IFA_F_NODAD: IPv6 duplicate address detection was skipped, the address is usable at once.</summary>
    NoDad = 0x02,

    /// <summary>IFA_F_OPTIMISTIC.</summary>
    Optimistic = 0x04,

    /// <summary>IFA_F_DADFAILED: IPv6 duplicate address detection found another owner.</summary>
    DadFailed = 0x08,

    /// <summary>IFA_F_HOMEADDRESS.</summary>
    HomeAddress = 0x10,

    /// <summary>IFA_F_DEPRECATED: the preferred lifetime ran out.</summary>
    Deprecated = 0x20,

    /// <summary>IFA_F_TENTATIVE: IPv6 duplicate address detection is still running.</summary>
    Tentative = 0x40,

    /// <summary>IFA_F_PERMANENT: configured with an infinite valid lifetime.</summary>
    Permanent = 0x80,

    /// <summary>IFA_F_MANAGETEMPADDR.</summary>
    ManageTempAddress = 0x100,

    /// <summary>IFA_F_NOPREFIXROUTE.</summary>
    NoPrefixRoute = 0x200,

    /// <summary>IFA_F_MCAUTOJOIN.</summary>
    MulticastAutoJoin = 0x400,

    /// <summary>IFA_F_STABLE_PRIVACY.</summary>
    StablePrivacy = 0x800,
}
