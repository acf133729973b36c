using System.Buffers;
using System.Text.Json;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.Internal;

/// <summary>A runtime-to-runtime request (probe, gossip): a small binary body out, a small binary body back.</summary>
internal sealed class SystemCall(TargetKind kind, byte[] body, CallRegistry registry) : OutgoingFrame, IPendingCall
{
    private readonly TaskCompletionSource<byte[]> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<byte[]> Result => _result.Task;

    public long CallId { get; set; }

    public long Deadline { get; set; } = long.MaxValue;

    public object? Via { get; set; }

    public override void Write(FrameBuffer buffer, Utf8JsonWriter json, GrainSerializer serializer)
    {
        buffer.WriteByte(FrameKind.Request);
        buffer.WriteInt64(CallId);
        buffer.WriteByte((byte)kind);
        buffer.WriteByte((byte)RequestFlags.None);
        buffer.WriteByte(0);
        buffer.WriteInt32(0);
        buffer.WriteString(string.Empty);
        buffer.WriteString(string.Empty);
        buffer.WriteInt32(0);
        buffer.WriteBytes(body);
    }

    public override void OnSendFailed(Connection connection, Exception exception)
    {
        registry.Remove(this);
        _result.TrySetException(exception);
    }

    public void OnResponse(ResponseStatus status, ReadOnlySequence<byte> body, GrainSerializer serializer)
    {
        if (status == ResponseStatus.Ok)
        {
            _result.TrySetResult(body.ToArray());
        }
        else
        {
            _result.TrySetException(ExceptionCodec.Read(body));
        }
    }

    public void OnFailure(Exception exception) => _result.TrySetException(exception);

    public string Describe() => kind.ToString();
}
