using Google.Protobuf;

namespace AviOrleans.Grpc.Internal;

/// <summary>Writes a call's response messages, each flushed at once.</summary>
internal sealed class ServerStreamWriter<T>(GrpcServerCall call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return call.WriteMessageAsync(message, flush: true, cancellationToken);
    }
}
