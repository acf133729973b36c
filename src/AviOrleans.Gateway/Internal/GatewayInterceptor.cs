using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Gateway.Internal;

/// <summary>
/// Runs around every call of the gateway (avi.v1, health, reflection): exceptions become gRPC status in one place
/// (<see cref="GatewayExceptionMapper"/>), and streaming calls end with UNAVAILABLE when the gateway stops, so that a
/// graceful stop does not wait for open watches and their clients know to reconnect; a call whose deadline has passed
/// before it starts is refused with DEADLINE_EXCEEDED and changes nothing (Grpc.AspNetCore's deadline timer would let a
/// quick handler run to completion first).
/// </summary>
internal sealed class GatewayInterceptor(IHostApplicationLifetime lifetime, TimeProvider timeProvider, ILogger<GatewayInterceptor> logger) : Interceptor
{
    private const string HttpContextKey = "__HttpContext";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ThrowIfPastDeadline(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (GatewayExceptionMapper.Map(ex, context.Method, context.CancellationToken.IsCancellationRequested) is { } mapped)
        {
            throw mapped;
        }
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunStreamAsync(context, async stopping => await continuation(requestStream, stopping));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunStreamAsync<bool>(context, async stopping =>
        {
            await continuation(request, responseStream, stopping);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunStreamAsync<bool>(context, async stopping =>
        {
            await continuation(requestStream, responseStream, stopping);
            return true;
        });

    private async Task<T> RunStreamAsync<T>(ServerCallContext context, Func<ServerCallContext, Task<T>> run)
    {
        ThrowIfPastDeadline(context);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

        // Grpc.AspNetCore finds the HttpContext of a replaced context under this key of its user state
        // (ServerCallContextExtensions.GetHttpContext); it needs it to resolve the service.
        context.UserState[HttpContextKey] = context.GetHttpContext();
        var stopping = new StoppingCallContext(context, linked.Token);
        try
        {
            var result = await run(stopping);
            ThrowIfStopped(context);
            return result;
        }
        catch (Exception ex) when (ex is not RpcException { StatusCode: StatusCode.Unavailable } && Stopped(context))
        {
            throw ShuttingDown(context);
        }
        catch (Exception ex) when (GatewayExceptionMapper.Map(ex, context.Method, context.CancellationToken.IsCancellationRequested) is { } mapped)
        {
            throw mapped;
        }
    }

    private void ThrowIfPastDeadline(ServerCallContext context)
    {
        // A grpc-timeout below one tick (e.g. "1n", what a client sends for a deadline already gone) leaves Grpc.AspNetCore
        // with no deadline at all: the header is there but the deadline is "never".
        var belowResolution = context.Deadline == DateTime.MaxValue && context.GetHttpContext().Request.Headers.ContainsKey("grpc-timeout");
        if (belowResolution || context.Deadline <= timeProvider.GetUtcNow().UtcDateTime)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
        }
    }

    // The gateway stopped the call, not its client (who is still there to be told).
    private bool Stopped(ServerCallContext context) =>
        lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested;

    private void ThrowIfStopped(ServerCallContext context)
    {
        if (Stopped(context))
        {
            // e.g. grpc.health.v1 Watch, which ends normally when its token fires.
            throw ShuttingDown(context);
        }
    }

    private RpcException ShuttingDown(ServerCallContext context)
    {
        GatewayLog.StreamEndedByShutdown(logger, context.Method);
        return new RpcException(new Status(StatusCode.Unavailable, "The gateway is shutting down; call again (a watch resumes with resume_after_sequence set to the last sequence received)."));
    }
}
