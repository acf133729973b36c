namespace AviOrleans.Domain;

/// <summary>
/// The kind of an <see cref="HaEvent"/>. Avi's event ids where one fits; the few AviOrleans additions
/// are marked so. Wire names: <see cref="AviNames.ToAviName(HaEventType)"/>.
/// </summary>
public enum HaEventType
{
    /// <summary><c>SE_UP</c>: an SE joined the group or came back.</summary>
    SeUp = 0,

    /// <summary><c>SE_DOWN</c>: an SE was declared dead (or left the group).</summary>
    SeDown = 1,

    /// <summary><c>VS_SE_HA_ACTIVE</c>: a VS (or the group's buffer) is back to its full HA protection.</summary>
    VsSeHaActive = 2,

    /// <summary><c>VS_SE_HA_COMPROMISED</c>: a VS serves with less protection than its mode asks (no standby, too few SEs, no buffer).</summary>
    VsSeHaCompromised = 3,

    /// <summary><c>VS_SWITCHOVER</c>: the SE active (primary) for a VS changed.</summary>
    VsSwitchover = 4,

    /// <summary><c>VS_SWITCHOVER_FAIL</c>: a requested switchover was refused.</summary>
    VsSwitchoverFail = 5,

    /// <summary><c>VS_SCALEOUT_DONE</c>: a placement was added to a VS.</summary>
    VsScaleoutDone = 6,

    /// <summary><c>VS_SCALEOUT_DONE_AWAITING_MORE_SE</c>: a VS is below its wanted placement count until an SE is available.</summary>
    VsScaleoutDoneAwaitingMoreSe = 7,

    /// <summary><c>VS_SCALEOUT_FAILED</c>: a requested scale-out was refused.</summary>
    VsScaleoutFailed = 8,

    /// <summary><c>VS_SCALEIN_DONE</c>: a placement was removed after its drain (or at once).</summary>
    VsScaleinDone = 9,

    /// <summary><c>VS_SCALEIN_FAILED</c>: a requested scale-in was refused.</summary>
    VsScaleinFailed = 10,

    /// <summary><c>VS_MIGRATE_STARTED</c>: a VS got its new SE; the old one drains.</summary>
    VsMigrateStarted = 11,

    /// <summary><c>VS_MIGRATE_FAILED</c>: a requested migration was refused.</summary>
    VsMigrateFailed = 12,

    /// <summary><c>MIGRATE_SE_STARTED</c>: the VSs of a disabled SE started migrating away.</summary>
    MigrateSeStarted = 13,

    /// <summary><c>MIGRATE_SE_FINISHED</c>: a disabled SE has no placement left.</summary>
    MigrateSeFinished = 14,

    /// <summary><c>MIGRATE_SE_FAILED</c>: at least one VS of a disabled SE could not move (it keeps serving there).</summary>
    MigrateSeFailed = 15,

    /// <summary><c>VS_INITIAL_PLACEMENT_FAILED</c>: a VS could not be placed (it is reported with its reason and placed when capacity appears).</summary>
    VsInitialPlacementFailed = 16,

    /// <summary><c>VS_PLACEMENT_REMOVED</c> (AviOrleans): a placement was dropped because its SE died, was force-disabled or left, or the VS was disabled.</summary>
    VsPlacementRemoved = 17,

    /// <summary><c>VS_SCALEIN_STARTED</c> (AviOrleans): a placement stopped taking new flows and drains for <c>vs_scalein_timeout</c>.</summary>
    VsScaleinStarted = 18,

    /// <summary><c>FLOATING_IP_TAKEOVER</c> (AviOrleans): a legacy group's floating interface IP list moved to another SE.</summary>
    FloatingIpTakeover = 19,

    /// <summary><c>SE_REDISTRIBUTE</c> (AviOrleans): legacy failback moved VSs back to the SE their tag names.</summary>
    SeRedistribute = 20,

    /// <summary>
    /// <c>SE_AUTO_REBALANCE_ALERT</c> (AviOrleans): an SE's load crossed <c>max_cpu_usage</c> or <c>min_cpu_usage</c> and
    /// auto-rebalance did not act (it is off, the interval has not elapsed, or no cooler SE has room).
    /// </summary>
    SeAutoRebalanceAlert = 21,

    /// <summary>
    /// <c>SE_DEPROVISION_DUE</c> (AviOrleans): an SE has had no placement for <c>se_deprovision_delay</c> and the group does
    /// not need it. Avi deletes such an SE; the engine cannot (the SEs are the operator's), so it reports it once.
    /// </summary>
    SeDeprovisionDue = 22,

    /// <summary>
    /// <c>SE_DP_HB_FAILED</c> (AS-53, §2.9): the SE's datapath heartbeats are missed, so the datapath suspects an SE that
    /// is still up; nothing moves until the suspicion is confirmed through the second channel and the SE is reported down.
    /// </summary>
    SeDpHbFailed = 23,

    /// <summary>
    /// <c>SE_NEEDED</c> (AviOrleans): the group needs more SEs than it has (<see cref="GroupPlacement.SeRequirement"/> says how
    /// many and why). Avi, with write access, creates them at this point (<c>CREATING_SE</c>); AviOrleans' SEs are the
    /// operator's, so it asks. Raised when the number of missing SEs grows.
    /// </summary>
    SeNeeded = 24,

    /// <summary><c>SE_GATEWAY_HEARTBEAT_FAILED</c>: an SE stopped reaching a monitored gateway.</summary>
    SeGatewayHeartbeatFailed = 25,

    /// <summary><c>SE_GATEWAY_HEARTBEAT_SUCCESS</c>: an SE reaches a monitored gateway again.</summary>
    SeGatewayHeartbeatSuccess = 26,

    /// <summary><c>REBALANCE_VS_SCALEOUT</c>: auto-rebalance scaled a VS out (it produced most of a hot SE's packets, AS-32).</summary>
    RebalanceVsScaleout = 27,

    /// <summary><c>REBALANCE_VS_MIGRATE</c>: auto-rebalance migrated a VS off a hot SE (AS-32); <c>VS_MIGRATE_STARTED</c> follows.</summary>
    RebalanceVsMigrate = 28,

    /// <summary><c>SE_DP_HB_RECOVERED</c>: the datapath heartbeats of a suspected SE are answered again while it is still up.</summary>
    SeDpHbRecovered = 29,

    /// <summary><c>VS_MIGRATE_DONE</c>: a migrated VS finished draining on the SE it left (<c>VS_MIGRATE_STARTED</c> began it).</summary>
    VsMigrateDone = 30,

    /// <summary><c>UPGRADE_SE_VS_MIGRATE</c>: a VS migrates off an SE that a rolling upgrade disabled (it gets its new SE; the old one drains).</summary>
    UpgradeSeVsMigrate = 31,

    /// <summary><c>UPGRADE_SE_VS_SCALEIN</c>: a placement was removed because its SE restarts for a rolling upgrade (a standby, or a VS that could not migrate).</summary>
    UpgradeSeVsScalein = 32,

    /// <summary>
    /// <c>UPGRADE_SE_VS_SCALEOUT</c>: a placement added while a rolling upgrade takes an SE of the group away (it
    /// replaces one the upgrade removed), or on an SE coming back from its upgrade.
    /// </summary>
    UpgradeSeVsScaleout = 33,
}
