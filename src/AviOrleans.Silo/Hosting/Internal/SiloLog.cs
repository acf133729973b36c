using Microsoft.Extensions.Logging;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>The silo host's log messages (event ids 6100-6199).</summary>
internal static partial class SiloLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Critical, Message = "Orleans reported a fatal error ({Reason}); the silo stops and the process exits non-zero")]
    public static partial void FatalError(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Silo {Silo} is {Status} in its own membership view; serving: {Serving}")]
    public static partial void HealthChanged(ILogger logger, string silo, Orleans.Runtime.SiloStatus status, bool serving);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Gateway client: {Gateways} gateway(s) of the cluster connected (was {Previous})")]
    public static partial void GatewayCountChanged(ILogger logger, int gateways, int previous);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Gateway client lost its connection to the cluster")]
    public static partial void ClusterConnectionLost(ILogger logger);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "Gateway client cannot reach the cluster yet ({Reason}); retrying for {Remaining}")]
    public static partial void ConnectRetry(ILogger logger, string reason, TimeSpan remaining);
}
