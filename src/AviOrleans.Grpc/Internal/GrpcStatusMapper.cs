using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Grpc.Internal;

/// <summary>
/// The one place where an exception becomes a gRPC status: <see cref="RpcException"/> passes
/// through, the operator's mappers come next, cancellation becomes CANCELLED or
/// DEADLINE_EXCEEDED, and anything else UNKNOWN with no internal detail.
/// </summary>
internal sealed class GrpcStatusMapper(GrpcServerOptions options, ILogger logger)
{
    public RpcException Map(Exception exception, GrpcServerCall call)
    {
        if (exception is RpcException rpc)
        {
            return rpc;
        }

        var http = call.HttpContext;
        if (call.DeadlineExceeded && exception is OperationCanceledException or IOException or ConnectionAbortedException)
        {
            return new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        if (call.EndedByShutdown && exception is OperationCanceledException or IOException or ConnectionAbortedException)
        {
            // grpc/grpc doc/statuscodes.md: a server shutting down answers UNAVAILABLE (retry elsewhere).
            return new RpcException(StatusCode.Unavailable, "The server is shutting down.");
        }

        if (http.RequestAborted.IsCancellationRequested && exception is OperationCanceledException or IOException or ConnectionAbortedException)
        {
            GrpcServerLog.CallCancelled(logger, call.Method.Path);
            return new RpcException(StatusCode.Cancelled, "Call canceled by the client.");
        }

        if (exception is BadHttpRequestException badRequest)
        {
            // Kestrel's own verdict on the request body (e.g. data arriving too slowly).
            return new RpcException(StatusCode.Internal, "Bad request: " + badRequest.Message);
        }

        if (call.HasContext)
        {
            foreach (var mapper in options.ExceptionMappers)
            {
                RpcException? mapped;
                try
                {
                    mapped = mapper(exception, call.Context);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    GrpcServerLog.MapperFailed(logger, call.Method.Path, ex);
                    continue;
                }

                if (mapped is not null)
                {
                    return mapped;
                }
            }
        }

        GrpcServerLog.UnhandledHandlerException(logger, call.Method.Path, exception);
        var detail = options.EnableDetailedErrors
            ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
            : "Exception was thrown by handler.";
        return new RpcException(StatusCode.Unknown, detail);
    }
}
