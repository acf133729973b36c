using Google.Protobuf;

namespace AviOrleans.Grpc.Internal;

/// <summary>Reads a call's request messages one at a time.</summary>
internal sealed class ServerStreamReader<T>(GrpcServerCall call) : IAsyncStreamReader<T>
    where T : class, IMessage<T>, new()
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        _current = await call.ReadMessageAsync(MessageParsers<T>.Parser, cancellationToken);
        return _current is not null;
    }
}
