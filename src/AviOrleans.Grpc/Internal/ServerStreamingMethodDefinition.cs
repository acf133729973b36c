using Google.Protobuf;

namespace AviOrleans.Grpc.Internal;

/// <summary>A server-streaming method: one request, a stream of responses.</summary>
internal sealed class ServerStreamingMethodDefinition<TRequest, TResponse> : GrpcMethodDefinition
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> _handler;

    public ServerStreamingMethodDefinition(string serviceName, string name, GrpcRole requiredRole, Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        : base(serviceName, name, GrpcMethodType.ServerStreaming, requiredRole, new TRequest().Descriptor, new TResponse().Descriptor)
    {
        _handler = handler;
    }

    internal override async Task InvokeAsync(GrpcServerCall call)
    {
        var request = await call.ReadSingleMessageAsync(MessageParsers<TRequest>.Parser);
        await _handler(request, new ServerStreamWriter<TResponse>(call), call.Context);
    }
}
