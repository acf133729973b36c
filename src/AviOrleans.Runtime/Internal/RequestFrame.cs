using System.Text.Json;
using AviOrleans.Runtime.CodeGeneration;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.Internal;

/// <summary>An outgoing grain call.</summary>
/// <param name="request">The call.</param>
/// <param name="registry">Where the call waits for its response.</param>
/// <param name="timeoutMs">How long the caller will wait, for the receiver's information.</param>
/// <param name="resend">Sends the call again when it never left (its connection closed first); once per call.</param>
/// <param name="flags">Request flags.</param>
internal sealed class RequestFrame(GrainRequest request, CallRegistry registry, int timeoutMs, Action<GrainRequest>? resend = null, RequestFlags flags = RequestFlags.None) : OutgoingFrame
{
    public override void Write(FrameBuffer buffer, Utf8JsonWriter json, GrainSerializer serializer)
    {
        buffer.WriteByte(FrameKind.Request);
        buffer.WriteInt64(request.CallId);
        buffer.WriteByte((byte)TargetKind.Grain);
        buffer.WriteByte((byte)flags);
        buffer.WriteByte((byte)request.ForwardCount);
        buffer.WriteInt32(timeoutMs);
        buffer.WriteString(request.Target.Type);
        buffer.WriteString(request.Target.Key);
        buffer.WriteInt32(request.MethodId);
        json.Reset(buffer);
        request.WriteArguments(json, serializer);
        json.Flush();
    }

    public override void OnNotSent(Connection connection, Exception exception)
    {
        // Nothing reached the peer, so sending again cannot run the call twice.
        if (resend is not null && request.Resends++ == 0)
        {
            registry.Remove(request);
            resend(request);
            return;
        }

        OnSendFailed(connection, exception);
    }

    public override void OnSendFailed(Connection connection, Exception exception)
    {
        registry.Remove(request);
        request.Fail(exception is InvalidOperationException or NotSupportedException or JsonException
            ? exception
            : new SiloUnavailableException($"The call {request.Target}.{request.MethodName} could not be sent to {connection.PeerDescription}.", exception));
    }
}
