using Microsoft.Extensions.Logging;

namespace AviOrleans.Gateway.Internal;

/// <summary>The gateway's log messages (event ids 4100-4199; 4000-4099 were the retired hand-written transport's).</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Read {Count} bearer token(s) from {Path}")]
    public static partial void TokensRead(ILogger logger, int count, string path);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "The token file {Path} changed but cannot be used; the tokens read before stay in force")]
    public static partial void TokenFileRefused(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Refused {Path}: {Reason}")]
    public static partial void Refused(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Stream {Method} ended with UNAVAILABLE: the gateway is stopping")]
    public static partial void StreamEndedByShutdown(ILogger logger, string method);
}
