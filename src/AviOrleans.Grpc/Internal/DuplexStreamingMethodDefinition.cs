using Google.Protobuf;

namespace AviOrleans.Grpc.Internal;

/// <summary>A duplex (bidirectional) streaming method.</summary>
internal sealed class DuplexStreamingMethodDefinition<TRequest, TResponse> : GrpcMethodDefinition
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> _handler;

    public DuplexStreamingMethodDefinition(string serviceName, string name, GrpcRole requiredRole, Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        : base(serviceName, name, GrpcMethodType.DuplexStreaming, requiredRole, new TRequest().Descriptor, new TResponse().Descriptor)
    {
        _handler = handler;
    }

    internal override Task InvokeAsync(GrpcServerCall call)
        => _handler(new ServerStreamReader<TRequest>(call), new ServerStreamWriter<TResponse>(call), call.Context);
}
