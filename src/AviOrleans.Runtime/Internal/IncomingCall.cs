using System.Text.Json;
using AviOrleans.Runtime.CodeGeneration;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.Internal;

/// <summary>
/// A grain call that arrived on a connection: it is where the call's outcome goes (the request's sink), and
/// then the response frame that carries it back.
/// </summary>
internal sealed class IncomingCall(Connection connection, long callId, SiloRuntime silo) : OutgoingFrame, IResponseSink
{
    private GrainRequest? _request;
    private Exception? _exception;

    public void OnCompleted(GrainRequest request)
    {
        _request = request;
        connection.Send(this);
        silo.OnIncomingCallAnswered();
    }

    public void OnFailed(GrainRequest request, Exception exception)
    {
        _exception = exception;
        connection.Send(this);
        silo.OnIncomingCallAnswered();
    }

    public override void Write(FrameBuffer buffer, Utf8JsonWriter json, GrainSerializer serializer)
    {
        buffer.WriteByte(FrameKind.Response);
        buffer.WriteInt64(callId);
        buffer.WriteByte((byte)(_exception is null ? ResponseStatus.Ok : ResponseStatus.Exception));
        json.Reset(buffer);
        if (_exception is { } exception)
        {
            ExceptionCodec.Write(json, exception);
        }
        else
        {
            _request!.WriteResult(json, serializer);
        }

        json.Flush();
    }

    public override void OnSendFailed(Connection connection, Exception exception)
    {
        // A result that cannot be serialized still owes the caller an answer: send the error instead.
        if (_exception is null && !connection.IsClosed)
        {
            connection.Send(new RawResponseFrame(callId, exception));
        }
    }
}
