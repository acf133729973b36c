using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AviOrleans.Grains.DataPlane.Internal;

internal sealed partial class HeartbeatMonitor
{
    /// <summary>Log messages of the datapath heartbeats (event ids 6130-6139).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6130, Level = LogLevel.Warning, Message = "Peer {Silo} suspected: {Reason}")]
        public static partial void PeerSuspected(ILogger logger, SiloAddress silo, string reason);

        [LoggerMessage(EventId = 6131, Level = LogLevel.Information, Message = "Peer {Silo} answers again: suspicion cleared")]
        public static partial void SuspicionCleared(ILogger logger, SiloAddress silo);

        [LoggerMessage(EventId = 6132, Level = LogLevel.Warning, Message = "Declaring peer {Silo} dead through Orleans: {Observers} observers missed its heartbeats")]
        public static partial void DeclaringDead(ILogger logger, SiloAddress silo, int observers);

        [LoggerMessage(EventId = 6133, Level = LogLevel.Error, Message = "Declaring peer {Silo} dead failed")]
        public static partial void DeclareFailed(ILogger logger, SiloAddress silo, Exception exception);

        [LoggerMessage(EventId = 6134, Level = LogLevel.Information, Message = "Peer {Silo} does not confirm this silo: {Reason}")]
        public static partial void NotConfirmed(ILogger logger, SiloAddress silo, string reason);

        [LoggerMessage(EventId = 6137, Level = LogLevel.Warning, Message = "Declaring peer {Silo} dead through Orleans: its host refuses connections to the silo port (its process is gone)")]
        public static partial void DeclaringGone(ILogger logger, SiloAddress silo);

        [LoggerMessage(EventId = 6135, Level = LogLevel.Error, Message = "A heartbeat tick failed")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
