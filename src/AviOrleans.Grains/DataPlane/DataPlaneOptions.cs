namespace AviOrleans.Grains.DataPlane;

/// <summary>
/// Options of the silo's data plane: the VIP interface, the fencing window and the datapath heartbeats. The timing
/// values must be equal on every silo of a cluster (a survivor judges a dead silo's window with its own values); a
/// silo whose heartbeat carries other values is never counted as confirming. DataPlane/README.md says why each
/// default has its value (bench/AviOrleans.Bench.DataPlane measures them on real silo processes).
/// </summary>
public sealed class DataPlaneOptions
{
    /// <summary>
    /// The interface whose VIPs this silo owns (<c>--vip-interface</c>). Null: no address is ever moved and the silo
    /// only logs what it would own. Default: null.
    /// </summary>
    public string? VipInterface { get; set; }

    /// <summary>
    /// The network namespace (a name under /var/run/netns) in which the interface lives; null: the silo's own.
    /// For in-process test clusters that give every silo its own host. Default: null.
    /// </summary>
    public string? NetworkNamespace { get; set; }

    /// <summary>The mark (IFA_PROTO) of every address the silo adds; 4-255. Default: 0xA5 (165).</summary>
    public byte AddressProtocol { get; set; } = 0xA5;

    /// <summary>
    /// Kernel valid lifetime of the addresses, renewed every third of it: the last line of defence when both the silo
    /// and its guard hang while the kernel runs on. At least 3 seconds. Default: 3 seconds.
    /// </summary>
    public TimeSpan AddressLifetime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the kernel is re-read and repaired without a notification. Default: 5 seconds.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The fencing window W: a silo that has had no evidence of being a live member (a lease renewal in the store, or
    /// enough confirmations from its peers) for W withdraws every address itself; the store lease it renews lasts W.
    /// Default: 300 milliseconds (README.md, "Options and why").
    /// </summary>
    public TimeSpan FencingWindow { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How much longer than W a survivor waits, by the store's clock, before it takes a dead silo's addresses: covers
    /// the dead silo's reaction time (its fence timer and the netlink delete) and clock rate differences.
    /// Default: 50 milliseconds.
    /// </summary>
    public TimeSpan FencingMargin { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often the silo renews its lease in the store (R). Default: 50 milliseconds.</summary>
    public TimeSpan LeaseRenewalInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long one lease call may take before it is abandoned (its evidence would be stale anyway).
    /// Default: 1 second.</summary>
    public TimeSpan LeaseCallTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long peer confirmations alone (the store unreachable) may keep a silo's addresses, counted from its last
    /// lease renewal. Survivors wait this long (plus W and the margin) before treating an unreachable peer as silent,
    /// so it is also the takeover time when two SEs fail at once. Default: 45 seconds.
    /// </summary>
    public TimeSpan PeerEvidenceLimit { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How often a silo sends a datapath heartbeat to each peer (Avi's dp_hb_frequency). Default: 50 milliseconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Missed heartbeats after which a peer is suspected (Avi's dp_hb_timeout_count). Default: 10.</summary>
    public int HeartbeatMissCount { get; set; } = 10;

    /// <summary>
    /// Whether a confirmed datapath suspicion declares the silo dead through Orleans (TryKill). Off, suspicions are
    /// only reported and Orleans' own probes decide. Default: true.
    /// </summary>
    public bool DeclareDeadOnConfirmedSuspicion { get; set; } = true;

    /// <summary>
    /// The guard process (parent-death and deadline watchdog) as a command line: the executable and its first
    /// arguments; the guard's own arguments are appended. Null: this process's own executable with
    /// <c>vip-guard</c> (the silo's entry point hands those arguments to <see cref="VipGuardProcess"/>). Default: null.
    /// </summary>
    public IReadOnlyList<string>? GuardCommand { get; set; }

    /// <summary>Whether the guard process is started at all (only where the VIP agent runs). Default: true.</summary>
    public bool GuardEnabled { get; set; } = true;

    /// <summary>The peer-silence threshold: <see cref="HeartbeatInterval"/> x <see cref="HeartbeatMissCount"/>.</summary>
    internal TimeSpan SuspicionAfter => HeartbeatInterval * HeartbeatMissCount;

    /// <summary>
    /// The values every silo must agree on, as sent with each heartbeat (milliseconds): W, margin, the peer-evidence
    /// limit.
    /// </summary>
    internal FencingParameters Parameters => new(
        (int)FencingWindow.TotalMilliseconds,
        (int)FencingMargin.TotalMilliseconds,
        (int)PeerEvidenceLimit.TotalMilliseconds);
}
