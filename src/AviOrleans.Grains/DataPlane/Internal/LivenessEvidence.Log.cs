using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.DataPlane.Internal;

internal sealed partial class LivenessEvidence
{
    /// <summary>Log messages of the self-fence (event ids 6100-6109; the data plane owns 6100-6199).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "Host fenced: {Reason}; every marked address withdrawn in {Milliseconds:0.0} ms")]
        public static partial void Fenced(ILogger logger, string reason, double milliseconds);

        [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Fence lifted: the store renewed the silo's lease")]
        public static partial void FenceLifted(ILogger logger);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Withdrawing the marked addresses failed; the guard and the kernel lifetimes remain")]
        public static partial void FenceActionFailed(ILogger logger, Exception exception);
    }
}
