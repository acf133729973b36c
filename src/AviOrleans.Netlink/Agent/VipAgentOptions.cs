namespace AviOrleans.Netlink.Agent;

/// <summary>Options of the <see cref="VipAgent"/>.</summary>
public sealed class VipAgentOptions
{
    /// <summary>
    /// The agent's mark: the address protocol (IFA_PROTO) of every address it adds. On start and at each reconcile it
    /// removes the marked addresses it no longer wants and never touches an address without the mark. Values 0–3 are
    /// the kernel's own (unspec, kernel_lo, kernel_ra, kernel_ll) and are refused. Default: 0xA5 (165).
    /// </summary>
    public byte AddressProtocol { get; set; } = 0xA5;

    /// <summary>How often the host is re-read and repaired even without a notification. Default: 10 seconds.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Kernel valid lifetime of the VIPs; null keeps them forever. With a lifetime the kernel itself removes the VIPs
    /// of an agent that died or hung, and the agent renews them every third of it (or every
    /// <see cref="ReconcileInterval"/> when that is shorter). At least 3 seconds. Default: null.
    /// </summary>
    public TimeSpan? AddressLifetime { get; set; }

    /// <summary>Whether newly added VIPs are announced (gratuitous ARP / unsolicited NA). Default: true.</summary>
    public bool AnnounceAddedAddresses { get; set; } = true;

    /// <summary>The period of the agent's timer: the reconcile interval, or a third of the lifetime when shorter.</summary>
    internal TimeSpan TimerPeriod => AddressLifetime is { } lifetime && lifetime / 3 < ReconcileInterval ? lifetime / 3 : ReconcileInterval;
}
