using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains;

/// <summary>The HA grains' log messages (event ids 6100-6199).</summary>
internal static partial class GrainLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "Service engine {SeName} could not catch up with its group's order on activation")]
    public static partial void CatchUpFailed(ILogger logger, string seName, Exception exception);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Group {Group}: the placement change was persisted but not appended to the feed (watchers resynchronise)")]
    public static partial void FeedAppendFailed(ILogger logger, string group, Exception exception);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Group {Group}: driving the service engines failed; the next change or timer tries again")]
    public static partial void DriveFailed(ILogger logger, string group, Exception exception);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Group {Group}: service engine {SeName} is not known to be fenced; its addresses stay unassigned")]
    public static partial void NotFenced(ILogger logger, string group, string seName, Exception exception);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Group {Group}: order epoch {Epoch} not delivered to service engine {SeName}")]
    public static partial void OrderNotDelivered(ILogger logger, string group, string seName, long epoch, Exception exception);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Information, Message = "Group {Group}: service engine {SeName} suspected: {Reason}")]
    public static partial void Suspected(ILogger logger, string group, string seName, string reason);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Warning, Message = "The placement record of virtual service {VsName} was not delivered")]
    public static partial void RecordFailed(ILogger logger, string vsName, Exception exception);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Warning, Message = "Membership change of service engine {SeName} not delivered to its group")]
    public static partial void MembershipReportFailed(ILogger logger, string seName, Exception exception);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Information, Message = "Silo {SeName} is leaving: its groups hand its placements to peers")]
    public static partial void HandingOff(ILogger logger, string seName);

    [LoggerMessage(EventId = 6109, Level = LogLevel.Warning, Message = "Silo {SeName}: the hand-off did not finish in time")]
    public static partial void HandOffIncomplete(ILogger logger, string seName, Exception exception);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Warning, Message = "Address {Address}: the claim held by {Holder} was released, since it no longer uses it")]
    public static partial void StaleClaimReleased(ILogger logger, string address, string holder);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "Group {Group}: monitoring not delivered to service engine {SeName}; sent again at the next drive")]
    public static partial void MonitoringNotDelivered(ILogger logger, string group, string seName, Exception exception);

    [LoggerMessage(EventId = 6114, Level = LogLevel.Information, Message = "Group {Group}: deactivated by the runtime ({Reason}); called again so that it comes back at once")]
    public static partial void Reactivating(ILogger logger, string group, DeactivationReasonCode reason);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Information, Message = "Group {Group}: service engine {SeName} did not say how its pool servers are")]
    public static partial void PoolHealthUnavailable(ILogger logger, string group, string seName, Exception exception);

    [LoggerMessage(EventId = 6117, Level = LogLevel.Warning, Message = "Service engine {SeName} restarts for a rolling upgrade: it runs {Version}, the upgrade installs {TargetVersion}")]
    public static partial void RestartingForUpgrade(ILogger logger, string seName, string version, string targetVersion);

    [LoggerMessage(EventId = 6118, Level = LogLevel.Information, Message = "Group {Group}: an upgrade step failed ({Failures} in a row); the next tick takes it again")]
    public static partial void UpgradeStepRetried(ILogger logger, string group, int failures, Exception exception);

    [LoggerMessage(EventId = 6119, Level = LogLevel.Warning, Message = "Group {Group}: the rolling upgrade stopped (suspended)")]
    public static partial void UpgradeStopped(ILogger logger, string group, Exception exception);

    [LoggerMessage(EventId = 6120, Level = LogLevel.Warning, Message = "Group {Group}: the ended upgrade could not release the group's mark or its reminder (both lapse by themselves)")]
    public static partial void UpgradeCleanupFailed(ILogger logger, string group, Exception exception);
}
