namespace AviOrleans.Grpc;

/// <summary>Reads the request messages of a client-streaming or duplex call.</summary>
/// <typeparam name="T">The request message type.</typeparam>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false when the client has finished sending.</summary>
    Task<bool> MoveNext(CancellationToken cancellationToken = default);
}
