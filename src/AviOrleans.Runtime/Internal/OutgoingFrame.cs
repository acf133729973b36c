using System.Text.Json;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.Internal;

/// <summary>A frame waiting in a connection's outbox; the connection's writer serializes it.</summary>
internal abstract class OutgoingFrame
{
    /// <summary>Writes the payload (after the length prefix the connection reserved).</summary>
    public abstract void Write(FrameBuffer buffer, Utf8JsonWriter json, GrainSerializer serializer);

    /// <summary>The frame could not be sent: the connection closed, or the payload could not be serialized.</summary>
    public abstract void OnSendFailed(Connection connection, Exception exception);

    /// <summary>The connection closed before this frame was written: nothing of it reached the peer.</summary>
    public virtual void OnNotSent(Connection connection, Exception exception) => OnSendFailed(connection, exception);
}
