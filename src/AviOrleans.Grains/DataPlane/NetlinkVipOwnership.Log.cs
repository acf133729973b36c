using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.DataPlane;

public sealed partial class NetlinkVipOwnership
{
    /// <summary>Log messages of the VIP ownership (event ids 6140-6159).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6140, Level = LogLevel.Information, Message = "VIP ownership on {Interface}: addresses marked with protocol {Protocol}, kernel lifetime {Lifetime}")]
        public static partial void Started(ILogger logger, string @interface, byte protocol, TimeSpan lifetime);

        [LoggerMessage(EventId = 6141, Level = LogLevel.Warning, Message = "Interface {Interface} does not exist in {Namespace}; its addresses are added once it appears")]
        public static partial void InterfaceMissing(ILogger logger, string @interface, string @namespace);

        [LoggerMessage(EventId = 6142, Level = LogLevel.Information, Message = "Order for group {Group} at epoch {Epoch} applied: {Count} addresses owned, {Removed} removed")]
        public static partial void OrderApplied(ILogger logger, string group, long epoch, int count, int removed);

        [LoggerMessage(EventId = 6143, Level = LogLevel.Warning, Message = "Order for group {Group} at epoch {Epoch} refused: epoch {Applied} is applied")]
        public static partial void OrderStale(ILogger logger, string group, long epoch, long applied);

        [LoggerMessage(EventId = 6144, Level = LogLevel.Warning, Message = "Order for group {Group} at epoch {Epoch} refused: the host is fenced for good ({Reason})")]
        public static partial void OrderRefusedFenced(ILogger logger, string group, long epoch, string reason);

        [LoggerMessage(EventId = 6145, Level = LogLevel.Error, Message = "Order for group {Group} at epoch {Epoch} refused: {Reason}")]
        public static partial void OrderConflict(ILogger logger, string group, long epoch, string reason);

        [LoggerMessage(EventId = 6146, Level = LogLevel.Error, Message = "Order for group {Group} at epoch {Epoch} is invalid: {Reason}")]
        public static partial void OrderInvalid(ILogger logger, string group, long epoch, string reason);

        [LoggerMessage(EventId = 6147, Level = LogLevel.Information, Message = "Fence lifted: order for group {Group} at epoch {Epoch} applied again ({Count} addresses)")]
        public static partial void Reapplied(ILogger logger, string group, long epoch, int count);

        [LoggerMessage(EventId = 6148, Level = LogLevel.Error, Message = "Following the fence failed")]
        public static partial void FollowFenceFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 6150, Level = LogLevel.Warning, Message = "Fence lifted: group {Group} did not say its current order; the recorded one is applied again")]
        public static partial void GroupUnreachable(ILogger logger, string group, Exception exception);

        [LoggerMessage(EventId = 6151, Level = LogLevel.Warning, Message = "Order for group {Group} at epoch {Epoch} recorded while the host is fenced ({Reason}): its {Count} addresses are added when the store lifts the fence")]
        public static partial void OrderKeptForLift(ILogger logger, string group, long epoch, int count, string reason);

        [LoggerMessage(EventId = 6149, Level = LogLevel.Error, Message = "Withdrawing {Address} failed")]
        public static partial void WithdrawFailed(ILogger logger, string address, Exception? exception);
    }
}
