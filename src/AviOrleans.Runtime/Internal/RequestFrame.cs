using System.Text.Json;
using AviOrleans.Runtime.CodeGeneration;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.Internal;

/// <summary>An outgoing grain call.</summary>
internal sealed class RequestFrame(GrainRequest request, CallRegistry registry, int timeoutMs) : OutgoingFrame
{
    public override void Write(FrameBuffer buffer, Utf8JsonWriter json, GrainSerializer serializer)
    {
        buffer.WriteByte(FrameKind.Request);
        buffer.WriteInt64(request.CallId);
        buffer.WriteByte((byte)TargetKind.Grain);
        buffer.WriteByte((byte)request.ForwardCount);
        buffer.WriteInt32(timeoutMs);
        buffer.WriteString(request.Target.Type);
        buffer.WriteString(request.Target.Key);
        buffer.WriteInt32(request.MethodId);
        json.Reset(buffer);
        request.WriteArguments(json, serializer);
        json.Flush();
    }

    public override void OnSendFailed(Connection connection, Exception exception)
    {
        registry.Remove(request);
        request.Fail(exception is InvalidOperationException or NotSupportedException or JsonException
            ? exception
            : new SiloUnavailableException($"The call {request.Target}.{request.MethodName} could not be sent to {connection.PeerDescription}.", exception));
    }
}
