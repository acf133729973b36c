using System.Net.Http;
using System.Security.Cryptography.X509Certificates;

namespace AviOrleans.Grpc;

/// <summary>Options of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// Sent as <c>authorization: Bearer TOKEN</c> on every call when set. Default: none.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>The largest response message accepted. Null means no limit. Default: 4 MiB.</summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcServerOptions.DefaultMaxMessageSize;

    /// <summary>The largest request message sent. Null means no limit. Default: none.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Compress request messages with "gzip" or "deflate". Default: null (no compression).</summary>
    public string? CompressionAlgorithm { get; set; }

    /// <summary>
    /// For https: trust a server whose certificate chains to (or is) this certificate, e.g. a
    /// self-signed gateway certificate. Default: null, the system's trust store.
    /// </summary>
    public X509Certificate2? TrustedServerCertificate { get; set; }

    /// <summary>
    /// The handler to send with; the channel does not dispose it. Default: a
    /// <see cref="SocketsHttpHandler"/> the channel owns.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>
    /// Interval of HTTP/2 PINGs while calls are active, so that a long Watch notices a gateway
    /// that vanished without closing the connection; null turns them off. Default: 1 minute
    /// (unanswered for 20 s, the connection and its calls fail with UNAVAILABLE).
    /// </summary>
    public TimeSpan? KeepAlivePingDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The clock for deadlines. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
