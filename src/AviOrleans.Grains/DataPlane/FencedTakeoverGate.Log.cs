using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.DataPlane;

public sealed partial class FencedTakeoverGate
{
    /// <summary>Log messages of the takeover gate (event ids 6160-6169).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6160, Level = LogLevel.Information, Message = "Takeover gate for SE {Se}: waiting {Milliseconds:0} ms, {Reason}")]
        public static partial void Waiting(ILogger logger, string se, string reason, double milliseconds);

        [LoggerMessage(EventId = 6161, Level = LogLevel.Information, Message = "Takeover gate for SE {Se} open after {Milliseconds:0} ms: it cannot answer for any address")]
        public static partial void Opened(ILogger logger, string se, double milliseconds);
    }
}
