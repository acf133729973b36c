using Microsoft.Extensions.Logging;

namespace AviOrleans.Grains.Monitoring.Internal;

/// <summary>The prober's log messages (event ids 6200-6249).</summary>
internal static partial class MonitoringLog
{
    [LoggerMessage(EventId = 6200, Level = LogLevel.Warning, Message = "Service engine {SeName}: gateway {Gateway} is unreachable after {Misses} missed echoes")]
    public static partial void GatewayLost(ILogger logger, string seName, string gateway, int misses);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Service engine {SeName}: gateway {Gateway} answers again")]
    public static partial void GatewayBack(ILogger logger, string seName, string gateway);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Error, Message = "Service engine {SeName}: cannot send echoes to gateway {Gateway}; it is not monitored until this is fixed")]
    public static partial void GatewayProbeUnavailable(ILogger logger, string seName, string gateway, Exception exception);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning, Message = "Service engine {SeName}: gateway results not delivered to group {Group}; retried at the next echo")]
    public static partial void GatewayReportFailed(ILogger logger, string seName, string group, Exception exception);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Information, Message = "Service engine {SeName}: pool server {Ip} port {Port} of virtual service {VsName} is {State} {Reason}")]
    public static partial void PoolMemberChanged(ILogger logger, string seName, string vsName, string ip, int port, PoolMemberState state, string reason);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Warning, Message = "Service engine {SeName}: the first passed health check of virtual service {VsName} was not delivered to group {Group}")]
    public static partial void FirstCheckReportFailed(ILogger logger, string seName, string vsName, string group, Exception exception);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Error, Message = "Service engine {SeName}: a monitor loop failed")]
    public static partial void LoopFailed(ILogger logger, string seName, Exception exception);
}
