using Microsoft.Extensions.Logging;

namespace AviOrleans.Grpc.Internal;

/// <summary>Log messages of the gRPC server transport (event ids 4000-4099).</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Error, Message = "Handler of {Method} threw an exception that no mapper handled; the client gets UNKNOWN")]
    public static partial void UnhandledHandlerException(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Call {Method} was cancelled by the client")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Call {Method} exceeded its deadline")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Ignored malformed grpc-timeout value '{Value}'")]
    public static partial void InvalidTimeoutIgnored(ILogger logger, string value);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Ignored request header {Key}: not valid gRPC metadata")]
    public static partial void InvalidMetadataIgnored(ILogger logger, string key);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "Could not send status {StatusCode} of {Method}: the stream has gone")]
    public static partial void StatusNotSent(ILogger logger, string method, StatusCode statusCode, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "A cancellation callback of {Method} threw")]
    public static partial void CancellationCallbackFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "Refused {Path}: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Call {Method} ended with {StatusCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Exception mapper threw while mapping an exception of {Method}")]
    public static partial void MapperFailed(ILogger logger, string method, Exception exception);
}
