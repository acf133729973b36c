using System.Buffers;

namespace AviOrleans.Runtime.Internal;

/// <summary>What a connection hands its frames to. Called on the connection's read loop: do not block.</summary>
internal interface IConnectionHandler
{
    void OnRequest(Connection connection, in RequestHeader header, ReadOnlySequence<byte> body);

    void OnResponse(Connection connection, long callId, ResponseStatus status, ReadOnlySequence<byte> body);

    void OnClosed(Connection connection, Exception? error);

    /// <summary>The peer is leaving gracefully: stop sending it new calls.</summary>
    void OnGoAway(Connection connection);
}
