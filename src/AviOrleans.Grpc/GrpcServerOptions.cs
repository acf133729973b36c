using System.IO.Compression;

namespace AviOrleans.Grpc;

/// <summary>Options of the gRPC server transport.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The default message size limit in both directions: 4 MiB.</summary>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// The largest request message accepted, after decompression; larger ones end the call with
    /// RESOURCE_EXHAUSTED. Null means no limit. Default: 4 MiB.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// The largest response message sent, before compression; a larger one ends the call with
    /// RESOURCE_EXHAUSTED. Null means no limit. Default: 4 MiB (what clients accept by default).
    /// </summary>
    public int? MaxSendMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// Compress response messages with this algorithm ("gzip" or "deflate") when the client lists it
    /// in <c>grpc-accept-encoding</c>. Null (default): responses use the request's encoding when it
    /// is compressed and the client accepts it, and are not compressed otherwise.
    /// </summary>
    public string? ResponseCompressionAlgorithm { get; set; }

    /// <summary>The level used to compress responses. Default: <see cref="CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel ResponseCompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>
    /// Send the message of an unmapped exception to the client (development only: it may leak
    /// internals). Default: false, the client sees "Exception was thrown by handler.".
    /// </summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// Mappers tried in order for an exception that is not an <see cref="RpcException"/>; see
    /// <see cref="MapException{TException}"/>.
    /// </summary>
    public IList<GrpcExceptionMapper> ExceptionMappers { get; } = [];

    /// <summary>Bearer-token authentication and the roles of methods.</summary>
    public GrpcAuthenticationOptions Authentication { get; } = new();

    /// <summary>The clock for deadlines. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Maps every <typeparamref name="TException"/> (and subclasses) with <paramref name="map"/>.</summary>
    public GrpcServerOptions MapException<TException>(Func<TException, RpcException> map)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(map);
        ExceptionMappers.Add((exception, _) => exception is TException typed ? map(typed) : null);
        return this;
    }
}
