using AviOrleans.Domain.Internal;

namespace AviOrleans.Domain;

/// <summary>
/// Avi's wire names of the domain enums (<c>HA_MODE_SHARED</c>, <c>PLACEMENT_ALGO_PACKED</c>, ...): the
/// names the JSON files and the gRPC API use. Parsing is exact (case-sensitive), as in Avi's API.
/// </summary>
public static class AviNames
{
    private static readonly AviEnumMap<HaMode> HaModes = new(
        (HaMode.Shared, "HA_MODE_SHARED"),
        (HaMode.SharedPair, "HA_MODE_SHARED_PAIR"),
        (HaMode.LegacyActiveStandby, "HA_MODE_LEGACY_ACTIVE_STANDBY"));

    private static readonly AviEnumMap<PlacementAlgo> Algos = new(
        (PlacementAlgo.Packed, "PLACEMENT_ALGO_PACKED"),
        (PlacementAlgo.Distributed, "PLACEMENT_ALGO_DISTRIBUTED"));

    private static readonly AviEnumMap<ActiveStandbySeTag> Tags = new(
        (ActiveStandbySeTag.ActiveStandbySe1, "ACTIVE_STANDBY_SE_1"),
        (ActiveStandbySeTag.ActiveStandbySe2, "ACTIVE_STANDBY_SE_2"));

    private static readonly AviEnumMap<SeEnableState> EnableStates = new(
        (SeEnableState.Enabled, "SE_STATE_ENABLED"),
        (SeEnableState.DisabledForPlacement, "SE_STATE_DISABLED_FOR_PLACEMENT"),
        (SeEnableState.Disabled, "SE_STATE_DISABLED"),
        (SeEnableState.DisabledForce, "SE_STATE_DISABLED_FORCE"));

    private static readonly AviEnumMap<OperState> OperStates = new(
        (OperState.Up, "OPER_UP"),
        (OperState.Down, "OPER_DOWN"),
        (OperState.Creating, "OPER_CREATING"),
        (OperState.Resources, "OPER_RESOURCES"),
        (OperState.Inactive, "OPER_INACTIVE"),
        (OperState.Disabled, "OPER_DISABLED"),
        (OperState.Unused, "OPER_UNUSED"),
        (OperState.Unknown, "OPER_UNKNOWN"),
        (OperState.Processing, "OPER_PROCESSING"),
        (OperState.Initializing, "OPER_INITIALIZING"),
        (OperState.ErrorDisabled, "OPER_ERROR_DISABLED"),
        (OperState.AwaitManualPlacement, "OPER_AWAIT_MANUAL_PLACEMENT"),
        (OperState.Upgrading, "OPER_UPGRADING"),
        (OperState.SeProcessing, "OPER_SE_PROCESSING"),
        (OperState.Partitioned, "OPER_PARTITIONED"),
        (OperState.Disabling, "OPER_DISABLING"),
        (OperState.Failed, "OPER_FAILED"),
        (OperState.Unavail, "OPER_UNAVAIL"),
        (OperState.AggregateDown, "OPER_AGGREGATE_DOWN"));

    private static readonly AviEnumMap<HaEventType> EventTypes = new(
        (HaEventType.SeUp, "SE_UP"),
        (HaEventType.SeDown, "SE_DOWN"),
        (HaEventType.VsSeHaActive, "VS_SE_HA_ACTIVE"),
        (HaEventType.VsSeHaCompromised, "VS_SE_HA_COMPROMISED"),
        (HaEventType.VsSwitchover, "VS_SWITCHOVER"),
        (HaEventType.VsSwitchoverFail, "VS_SWITCHOVER_FAIL"),
        (HaEventType.VsScaleoutDone, "VS_SCALEOUT_DONE"),
        (HaEventType.VsScaleoutDoneAwaitingMoreSe, "VS_SCALEOUT_DONE_AWAITING_MORE_SE"),
        (HaEventType.VsScaleoutFailed, "VS_SCALEOUT_FAILED"),
        (HaEventType.VsScaleinDone, "VS_SCALEIN_DONE"),
        (HaEventType.VsScaleinFailed, "VS_SCALEIN_FAILED"),
        (HaEventType.VsMigrateStarted, "VS_MIGRATE_STARTED"),
        (HaEventType.VsMigrateFailed, "VS_MIGRATE_FAILED"),
        (HaEventType.MigrateSeStarted, "MIGRATE_SE_STARTED"),
        (HaEventType.MigrateSeFinished, "MIGRATE_SE_FINISHED"),
        (HaEventType.MigrateSeFailed, "MIGRATE_SE_FAILED"),
        (HaEventType.VsInitialPlacementFailed, "VS_INITIAL_PLACEMENT_FAILED"),
        (HaEventType.VsPlacementRemoved, "VS_PLACEMENT_REMOVED"),
        (HaEventType.VsScaleinStarted, "VS_SCALEIN_STARTED"),
        (HaEventType.FloatingIpTakeover, "FLOATING_IP_TAKEOVER"),
        (HaEventType.SeRedistribute, "SE_REDISTRIBUTE"),
        (HaEventType.SeAutoRebalanceAlert, "SE_AUTO_REBALANCE_ALERT"),
        (HaEventType.SeDeprovisionDue, "SE_DEPROVISION_DUE"),
        (HaEventType.SeDpHbFailed, "SE_DP_HB_FAILED"),
        (HaEventType.SeNeeded, "SE_NEEDED"),
        (HaEventType.SeGatewayHeartbeatFailed, "SE_GATEWAY_HEARTBEAT_FAILED"),
        (HaEventType.SeGatewayHeartbeatSuccess, "SE_GATEWAY_HEARTBEAT_SUCCESS"),
        (HaEventType.RebalanceVsScaleout, "REBALANCE_VS_SCALEOUT"),
        (HaEventType.RebalanceVsMigrate, "REBALANCE_VS_MIGRATE"),
        (HaEventType.SeDpHbRecovered, "SE_DP_HB_RECOVERED"),
        (HaEventType.VsMigrateDone, "VS_MIGRATE_DONE"),
        (HaEventType.UpgradeSeVsMigrate, "UPGRADE_SE_VS_MIGRATE"),
        (HaEventType.UpgradeSeVsScalein, "UPGRADE_SE_VS_SCALEIN"),
        (HaEventType.UpgradeSeVsScaleout, "UPGRADE_SE_VS_SCALEOUT"));

    private static readonly AviEnumMap<SeNeedReason> NeedReasons = new(
        (SeNeedReason.BufferShort, "SE_NEED_BUFFER_SHORT"),
        (SeNeedReason.StandbyMissing, "SE_NEED_STANDBY_MISSING"),
        (SeNeedReason.VsAwaitingPlacement, "SE_NEED_VS_AWAITING_PLACEMENT"),
        (SeNeedReason.VsAwaitingMoreSes, "SE_NEED_VS_AWAITING_MORE_SES"),
        (SeNeedReason.DistributedSpread, "SE_NEED_DISTRIBUTED_SPREAD"));

    private static readonly AviEnumMap<AutoRebalanceCriterion> Criteria = new(
        (AutoRebalanceCriterion.Cpu, "SE_AUTO_REBALANCE_CPU"),
        (AutoRebalanceCriterion.Pps, "SE_AUTO_REBALANCE_PPS"),
        (AutoRebalanceCriterion.Mbps, "SE_AUTO_REBALANCE_MBPS"),
        (AutoRebalanceCriterion.OpenConns, "SE_AUTO_REBALANCE_OPEN_CONNS"),
        (AutoRebalanceCriterion.Cps, "SE_AUTO_REBALANCE_CPS"));

    private static readonly AviEnumMap<UpgradeActionOnError> ActionsOnError = new(
        (UpgradeActionOnError.SuspendUpgradeOpsOnError, "SUSPEND_UPGRADE_OPS_ON_ERROR"),
        (UpgradeActionOnError.ContinueUpgradeOpsOnError, "CONTINUE_UPGRADE_OPS_ON_ERROR"));

    private static readonly AviEnumMap<HealthMonitorType> MonitorTypes = new(
        (HealthMonitorType.Tcp, "HEALTH_MONITOR_TCP"),
        (HealthMonitorType.Http, "HEALTH_MONITOR_HTTP"));

    private static readonly AviEnumMap<HttpResponseCode> ResponseCodes = new(
        (HttpResponseCode.HttpAny, "HTTP_ANY"),
        (HttpResponseCode.Http1xx, "HTTP_1XX"),
        (HttpResponseCode.Http2xx, "HTTP_2XX"),
        (HttpResponseCode.Http3xx, "HTTP_3XX"),
        (HttpResponseCode.Http4xx, "HTTP_4XX"),
        (HttpResponseCode.Http5xx, "HTTP_5XX"));

    private static readonly Dictionary<Type, object> Maps = new()
    {
        [typeof(HealthMonitorType)] = MonitorTypes,
        [typeof(HttpResponseCode)] = ResponseCodes,
        [typeof(UpgradeActionOnError)] = ActionsOnError,
        [typeof(HaMode)] = HaModes,
        [typeof(PlacementAlgo)] = Algos,
        [typeof(ActiveStandbySeTag)] = Tags,
        [typeof(SeEnableState)] = EnableStates,
        [typeof(OperState)] = OperStates,
        [typeof(HaEventType)] = EventTypes,
        [typeof(AutoRebalanceCriterion)] = Criteria,
        [typeof(SeNeedReason)] = NeedReasons,
    };

    /// <summary>Avi's name of <paramref name="value"/>, e.g. <c>HA_MODE_LEGACY_ACTIVE_STANDBY</c>.</summary>
    public static string ToAviName(this HaMode value) => HaModes.ToName(value);

    /// <summary>Avi's name of <paramref name="value"/>, e.g. <c>PLACEMENT_ALGO_PACKED</c>.</summary>
    public static string ToAviName(this PlacementAlgo value) => Algos.ToName(value);

    /// <summary>Avi's name of <paramref name="value"/>, e.g. <c>ACTIVE_STANDBY_SE_2</c>.</summary>
    public static string ToAviName(this ActiveStandbySeTag value) => Tags.ToName(value);

    /// <summary>Avi's name of <paramref name="value"/>, e.g. <c>SE_STATE_DISABLED</c>.</summary>
    public static string ToAviName(this SeEnableState value) => EnableStates.ToName(value);

    /// <summary>Avi's name of <paramref name="value"/>, e.g. <c>OPER_UP</c>.</summary>
    public static string ToAviName(this OperState value) => OperStates.ToName(value);

    /// <summary>Avi's event id of <paramref name="value"/>, e.g. <c>VS_SE_HA_COMPROMISED</c>.</summary>
    public static string ToAviName(this HaEventType value) => EventTypes.ToName(value);

    /// <summary>Avi's name of <paramref name="value"/>, e.g. <c>SE_AUTO_REBALANCE_PPS</c>.</summary>
    public static string ToAviName(this AutoRebalanceCriterion value) => Criteria.ToName(value);

    /// <summary>The wire name of <paramref name="value"/> (AviOrleans' own), e.g. <c>SE_NEED_BUFFER_SHORT</c>.</summary>
    public static string ToAviName(this SeNeedReason value) => NeedReasons.ToName(value);

    /// <summary>Avi's name of <paramref name="value"/>, e.g. <c>SUSPEND_UPGRADE_OPS_ON_ERROR</c>.</summary>
    public static string ToAviName(this UpgradeActionOnError value) => ActionsOnError.ToName(value);

    /// <summary>Avi's name of <paramref name="value"/>, e.g. <c>HEALTH_MONITOR_TCP</c>.</summary>
    public static string ToAviName(this HealthMonitorType value) => MonitorTypes.ToName(value);

    /// <summary>Avi's name of <paramref name="value"/>, e.g. <c>HTTP_2XX</c>.</summary>
    public static string ToAviName(this HttpResponseCode value) => ResponseCodes.ToName(value);

    /// <summary>Parses Avi's wire name of a member of <typeparamref name="TEnum"/> (exact match).</summary>
    /// <returns>False when <paramref name="name"/> names no member (e.g. <c>HA_MODE_FOO</c>).</returns>
    public static bool TryParse<TEnum>(string? name, out TEnum value)
        where TEnum : struct, Enum => Map<TEnum>().TryParse(name, out value);

    /// <summary>Every wire name of <typeparamref name="TEnum"/>, for error messages and API reflection.</summary>
    public static IReadOnlyList<string> NamesOf<TEnum>()
        where TEnum : struct, Enum => Map<TEnum>().Names;

    /// <summary>True when <paramref name="value"/> is a declared member (guards against casts from integers).</summary>
    public static bool IsDefined<TEnum>(TEnum value)
        where TEnum : struct, Enum => Map<TEnum>().IsDefined(value);

    private static AviEnumMap<TEnum> Map<TEnum>()
        where TEnum : struct, Enum =>
        Maps.TryGetValue(typeof(TEnum), out var map)
            ? (AviEnumMap<TEnum>)map
            : throw new ArgumentException($"{typeof(TEnum).Name} has no Avi wire names.", nameof(TEnum));
}
