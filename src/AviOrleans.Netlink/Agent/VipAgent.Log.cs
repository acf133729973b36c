using System.Net;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Netlink.Agent;

public sealed partial class VipAgent
{
    /// <summary>Log messages of the VIP agent; event ids 5100–5199 belong to AviOrleans.Netlink.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "VIP agent started: mark (address protocol) {Protocol}, timer every {Period}")]
        public static partial void Started(ILogger logger, byte protocol, TimeSpan period);

        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Order for virtual service {VirtualServiceId} at epoch {Epoch} applied: {Count} VIPs")]
        public static partial void OrderApplied(ILogger logger, string virtualServiceId, long epoch, int count);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Order for virtual service {VirtualServiceId} at epoch {Epoch} rejected: epoch {InForce} is in force")]
        public static partial void StaleOrderRejected(ILogger logger, string virtualServiceId, long epoch, long inForce);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Fenced: {Count} VIPs withdrawn")]
        public static partial void Fenced(ILogger logger, int count);

        [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "VIP {Vip} added for virtual service {VirtualServiceId} (epoch {Epoch})")]
        public static partial void Added(ILogger logger, VipBinding vip, string virtualServiceId, long epoch);

        [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Marked address {Address} removed: no order wants it")]
        public static partial void Removed(ILogger logger, InterfaceAddress address);

        [LoggerMessage(EventId = 5106, Level = LogLevel.Error, Message = "Adding VIP {Vip} failed")]
        public static partial void AddFailed(ILogger logger, VipBinding vip, Exception? exception);

        [LoggerMessage(EventId = 5107, Level = LogLevel.Error, Message = "Removing marked address {Address} failed")]
        public static partial void RemoveFailed(ILogger logger, InterfaceAddress address, Exception? exception);

        [LoggerMessage(EventId = 5108, Level = LogLevel.Error, Message = "Renewing the lifetime of {Address} failed")]
        public static partial void RenewFailed(ILogger logger, AddressRequest address, Exception? exception);

        [LoggerMessage(EventId = 5109, Level = LogLevel.Warning, Message = "Announcing {Address} on {Interface} failed")]
        public static partial void AnnounceFailed(ILogger logger, IPAddress address, string @interface, Exception exception);

        [LoggerMessage(EventId = 5110, Level = LogLevel.Error, Message = "Reconcile failed; retrying at the next change or tick")]
        public static partial void ReconcileFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 5111, Level = LogLevel.Warning, Message = "Listening to address and link changes failed; listening again")]
        public static partial void WatchFailed(ILogger logger, Exception exception);
    }
}
