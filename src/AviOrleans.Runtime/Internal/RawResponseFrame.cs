using System.Text.Json;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.Internal;

/// <summary>A response whose body is already bytes (system calls) or an exception.</summary>
internal sealed class RawResponseFrame : OutgoingFrame
{
    private readonly long _callId;
    private readonly byte[]? _body;
    private readonly Exception? _exception;

    public RawResponseFrame(long callId, byte[] body)
    {
        _callId = callId;
        _body = body;
    }

    public RawResponseFrame(long callId, Exception exception)
    {
        _callId = callId;
        _exception = exception;
    }

    public override void Write(FrameBuffer buffer, Utf8JsonWriter json, GrainSerializer serializer)
    {
        buffer.WriteByte(FrameKind.Response);
        buffer.WriteInt64(_callId);
        if (_exception is { } exception)
        {
            buffer.WriteByte((byte)ResponseStatus.Exception);
            json.Reset(buffer);
            ExceptionCodec.Write(json, exception);
            json.Flush();
        }
        else
        {
            buffer.WriteByte((byte)ResponseStatus.Ok);
            buffer.WriteBytes(_body);
        }
    }

    public override void OnSendFailed(Connection connection, Exception exception)
    {
        // The caller is gone with the connection; its own registry times the call out or fails it.
    }
}
