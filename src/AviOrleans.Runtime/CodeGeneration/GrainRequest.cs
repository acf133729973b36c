using System.Buffers;
using System.ComponentModel;
using System.Text.Json;
using AviOrleans.Runtime.Internal;
using AviOrleans.Runtime.Serialization;

namespace AviOrleans.Runtime.CodeGeneration;

/// <summary>
/// One grain call: its arguments, where its result goes, and the runtime's bookkeeping for it. The generator
/// emits one sealed subclass per interface method. For generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainRequest : IPendingCall
{
    private int _completed;

    /// <summary>The method's id within its interface.</summary>
    public abstract int MethodId { get; }

    /// <summary>The method name, for errors and logs.</summary>
    public abstract string MethodName { get; }

    /// <summary>Whether the method is <see cref="AlwaysInterleaveAttribute"/>.</summary>
    public virtual bool AlwaysInterleave => false;

    /// <summary>
    /// Whether an argument or the result is of a type that could be mutated (not primitive, not
    /// <see cref="ImmutableAttribute"/>): then a call within one silo copies it through the serializer.
    /// </summary>
    public virtual bool RequiresCopy => false;

    /// <summary>Writes the arguments as a JSON array.</summary>
    public abstract void WriteArguments(Utf8JsonWriter writer, GrainSerializer serializer);

    internal GrainId Target { get; set; }

    /// <summary>The id under which the call waits for its response (0 while it is not waiting).</summary>
    internal long CallId { get; set; }

    /// <summary>When the caller stops waiting, in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
    internal long Deadline { get; set; }

    /// <summary>The connection the call went out on, while it waits for a remote response.</summary>
    internal object? Via { get; set; }

    /// <summary>How many times a silo passed the call on to another (bounded to stop loops while views differ).</summary>
    internal int ForwardCount { get; set; }

    /// <summary>Where the result goes when the caller is on another process; null for a local caller.</summary>
    internal IResponseSink? Sink { get; set; }

    /// <summary>A silo the call must not be routed to (a leaving silo that passed it on).</summary>
    internal Membership.SiloAddress? ExcludedSilo { get; set; }

    /// <summary>How many times the call was sent again because its connection closed before it left.</summary>
    internal int Resends { get; set; }

    /// <summary>The activation running the call.</summary>
    internal object? Executor { get; set; }

    internal bool IsCompleted => Volatile.Read(ref _completed) != 0;

    internal abstract Task InvokeAsync(object grain);

    internal abstract void WriteResult(Utf8JsonWriter writer, GrainSerializer serializer);

    internal abstract void ReadResult(ref Utf8JsonReader reader, GrainSerializer serializer);

    /// <summary>Delivers the stored result; the first completion or failure wins.</summary>
    internal void Complete()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            if (Sink is { } sink)
            {
                sink.OnCompleted(this);
            }
            else
            {
                SetPromiseResult();
            }
        }
    }

    /// <summary>Delivers a failure; the first completion or failure wins.</summary>
    internal void Fail(Exception exception)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            if (Sink is { } sink)
            {
                sink.OnFailed(this, exception);
            }
            else
            {
                SetPromiseException(exception);
            }
        }
    }

    long IPendingCall.CallId { get => CallId; set => CallId = value; }

    long IPendingCall.Deadline { get => Deadline; set => Deadline = value; }

    object? IPendingCall.Via { get => Via; set => Via = value; }

    void IPendingCall.OnResponse(ResponseStatus status, ReadOnlySequence<byte> body, GrainSerializer serializer)
    {
        if (status != ResponseStatus.Ok)
        {
            Fail(ExceptionCodec.Read(body));
            return;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            ReadResult(ref reader, serializer);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            Fail(ex);
            return;
        }

        Complete();
    }

    void IPendingCall.OnFailure(Exception exception) => Fail(exception);

    string IPendingCall.Describe() => $"{Target}.{MethodName}";

    private protected abstract void SetPromiseResult();

    private protected abstract void SetPromiseException(Exception exception);
}
