using Google.Protobuf;

namespace AviOrleans.Grpc.Internal;

/// <summary>A client-streaming method: a stream of requests, one response.</summary>
internal sealed class ClientStreamingMethodDefinition<TRequest, TResponse> : GrpcMethodDefinition
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly Func<IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> _handler;

    public ClientStreamingMethodDefinition(string serviceName, string name, GrpcRole requiredRole, Func<IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> handler)
        : base(serviceName, name, GrpcMethodType.ClientStreaming, requiredRole, new TRequest().Descriptor, new TResponse().Descriptor)
    {
        _handler = handler;
    }

    internal override async Task InvokeAsync(GrpcServerCall call)
    {
        var response = await _handler(new ServerStreamReader<TRequest>(call), call.Context)
            ?? throw new InvalidOperationException($"The handler of {Path} returned no response message.");
        if (call.Context.Status.StatusCode == StatusCode.OK)
        {
            await call.WriteMessageAsync(response, flush: false, CancellationToken.None);
        }
    }
}
