namespace AviOrleans.Grpc;

/// <summary>Writes the response messages of a server-streaming or duplex call.</summary>
/// <typeparam name="T">The response message type.</typeparam>
public interface IServerStreamWriter<in T>
{
    /// <summary>
    /// Sends one message and flushes it to the client. Do not call concurrently; calls after the
    /// call has ended (deadline, client cancel) throw <see cref="OperationCanceledException"/>.
    /// </summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
