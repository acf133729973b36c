using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.DataPlane.Internal;

internal sealed partial class LeaseKeeper
{
    /// <summary>Log messages of the lease keeper (event ids 6110-6119).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "Fencing lease {Name} acquired at epoch {Epoch}")]
        public static partial void LeaseAcquired(ILogger logger, string name, long epoch);

        [LoggerMessage(EventId = 6111, Level = LogLevel.Warning, Message = "Renewing the fencing lease failed; peer confirmations keep the addresses for at most the peer-evidence limit")]
        public static partial void RenewalFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 6112, Level = LogLevel.Information, Message = "The store answers lease renewals again")]
        public static partial void StoreBack(ILogger logger);

        [LoggerMessage(EventId = 6113, Level = LogLevel.Warning, Message = "The fencing lease ran out by the store's clock; acquiring it again")]
        public static partial void LeaseLost(ILogger logger);

        [LoggerMessage(EventId = 6114, Level = LogLevel.Critical, Message = "Fenced for good: {Reason}")]
        public static partial void FencedForGood(ILogger logger, string reason);

        [LoggerMessage(EventId = 6115, Level = LogLevel.Information, Message = "Fencing lease revoked after every address was withdrawn for good: survivors need not wait out its window")]
        public static partial void RevokedOwn(ILogger logger);

        [LoggerMessage(EventId = 6116, Level = LogLevel.Warning, Message = "Revoking the fencing lease after the fence failed or timed out; survivors wait out its window")]
        public static partial void RevokeOwnFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 6185, Level = LogLevel.Warning, Message = "The fence did not withdraw the addresses within {WindowMs} ms of the permanent fence; the lease runs out by itself and the guard removes them")]
        public static partial void FenceLate(ILogger logger, double windowMs);
    }
}
