using System.Text.Json;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.Internal;

/// <summary>Tells a client that this silo is leaving, so it moves to another gateway before the connection closes.</summary>
internal sealed class GoAwayFrame : OutgoingFrame
{
    public static readonly GoAwayFrame Instance = new();

    public override void Write(FrameBuffer buffer, Utf8JsonWriter json, GrainSerializer serializer) => buffer.WriteByte(FrameKind.GoAway);

    public override void OnSendFailed(Connection connection, Exception exception)
    {
        // The connection is closing anyway.
    }
}
