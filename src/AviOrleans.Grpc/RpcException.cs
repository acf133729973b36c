using Google.Protobuf;

namespace AviOrleans.Grpc;

/// <summary>
/// A call ended with a non-OK status. Thrown by handlers to choose the status the client sees,
/// and by the client when the server returned one.
/// </summary>
public sealed class RpcException : Exception
{
    /// <summary>The trailer carrying a serialized <c>google.rpc.Status</c> (the rich error model).</summary>
    public const string StatusDetailsTrailer = "grpc-status-details-bin";

    /// <summary>Creates the exception with no trailers.</summary>
    public RpcException(Status status)
        : this(status, new Metadata())
    {
    }

    /// <summary>Creates the exception with trailers sent to (or received from) the peer.</summary>
    public RpcException(Status status, Metadata trailers)
        : base(status.ToString())
    {
        ArgumentNullException.ThrowIfNull(trailers);
        Status = status;
        Trailers = trailers;
    }

    /// <summary>Creates the exception for <paramref name="code"/> with <paramref name="detail"/>.</summary>
    public RpcException(StatusCode code, string detail)
        : this(new Status(code, detail))
    {
    }

    /// <summary>Creates an Unknown status exception; prefer a constructor taking a status.</summary>
    public RpcException()
        : this(new Status(StatusCode.Unknown, string.Empty))
    {
    }

    /// <summary>Creates an Unknown status exception with <paramref name="message"/> as its detail.</summary>
    public RpcException(string message)
        : this(new Status(StatusCode.Unknown, message ?? string.Empty))
    {
    }

    /// <summary>Creates an Unknown status exception with <paramref name="message"/> as its detail.</summary>
    public RpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new Status(StatusCode.Unknown, message ?? string.Empty);
        Trailers = new Metadata();
    }

    /// <summary>The status.</summary>
    public Status Status { get; }

    /// <summary>The status code.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>Trailing metadata, e.g. <c>grpc-status-details-bin</c>.</summary>
    public Metadata Trailers { get; }

    /// <summary>
    /// The <c>google.rpc.Status</c> carried in <c>grpc-status-details-bin</c>, or null when there is
    /// none or it cannot be parsed.
    /// </summary>
    public Google.Rpc.Status? GetRpcStatus()
    {
        var bytes = Trailers.GetValueBytes(StatusDetailsTrailer);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return Google.Rpc.Status.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
