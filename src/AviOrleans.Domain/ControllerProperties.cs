namespace AviOrleans.Domain;

/// <summary>
/// The cluster-wide timers of Avi's <c>ControllerProperties</c> that the placement engine uses (§1.2). Avi reboots an
/// SE that stopped responding after <see cref="UnresponsiveSeReboot"/> and deletes it if it is still offline
/// <see cref="DelOfflineSeAfterRebootDelay"/> later; until then the dead SE is a member of its group and counts
/// against <c>max_se</c>. AviOrleans deletes no SE (the SEs are the operator's), so after that time the dead SE stops
/// counting against <c>max_se</c> (a replacement may join) and is reported due for removal (<c>SE_DEPROVISION_DUE</c>).
/// </summary>
public sealed record ControllerProperties
{
    /// <summary><c>unresponsive_se_reboot</c> in seconds (0–86400): how long Avi waits before rebooting an SE that stopped responding. Default: 300.</summary>
    public int UnresponsiveSeReboot { get; init; } = 300;

    /// <summary>
    /// <c>del_offline_se_after_reboot_delay</c> in seconds (0–86400): how long Avi waits after that reboot before deleting an
    /// SE that is still offline. Default: 300.
    /// </summary>
    public int DelOfflineSeAfterRebootDelay { get; init; } = 300;

    /// <summary>
    /// <c>upgrade_lease_time</c> in seconds (1–86400): how long a rolling upgrade waits for an SE to come back after its
    /// upgrade restart before that SE's upgrade failed. Default: 600.
    /// </summary>
    public int UpgradeLeaseTime { get; init; } = 600;

    /// <summary><see cref="UpgradeLeaseTime"/> as a time span.</summary>
    public TimeSpan GetUpgradeLeaseTime() => TimeSpan.FromSeconds(Math.Max(1, UpgradeLeaseTime));

    /// <summary>
    /// How long an SE declared dead (<c>OPER_DOWN</c>, <c>OPER_FAILED</c>) keeps counting against <c>max_se</c>:
    /// <c>unresponsive_se_reboot + del_offline_se_after_reboot_delay</c>, the time after which Avi has deleted it (600 s by default).
    /// </summary>
    public TimeSpan GetDeadSeRetention() => TimeSpan.FromSeconds((long)Math.Max(0, UnresponsiveSeReboot) + Math.Max(0, DelOfflineSeAfterRebootDelay));
}
