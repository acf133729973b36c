using System.Globalization;
using System.Net.Sockets;
using AviOrleans.Grpc.Internal;
using Microsoft.AspNetCore.Http;

namespace AviOrleans.Grpc;

/// <summary>What a handler knows about the call it serves.</summary>
public sealed class ServerCallContext
{
    private readonly HttpContext _httpContext;
    private readonly GrpcServerCall _call;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private string? _peer;

    internal ServerCallContext(
        HttpContext httpContext,
        string method,
        DateTime deadline,
        GrpcServerCall call,
        GrpcCaller caller,
        CancellationToken cancellationToken)
    {
        _httpContext = httpContext;
        _call = call;
        Method = method;
        Deadline = deadline;
        Caller = caller;
        CancellationToken = cancellationToken;
    }

    /// <summary>The method's path, e.g. <c>/avi.v1.VirtualServices/GetVirtualService</c>.</summary>
    public string Method { get; }

    /// <summary>The <c>:authority</c> the client addressed.</summary>
    public string Host => _httpContext.Request.Host.Value ?? string.Empty;

    /// <summary>The client's address, in gRPC's form (<c>ipv4:127.0.0.1:5000</c>).</summary>
    public string Peer => _peer ??= FormatPeer(_httpContext.Connection);

    /// <summary>The call's deadline (UTC) from <c>grpc-timeout</c>; <see cref="DateTime.MaxValue"/> when none.</summary>
    public DateTime Deadline { get; }

    /// <summary>Fires when the client cancels, the connection drops or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The request's custom metadata (reserved and HTTP headers removed); read on first use.</summary>
    public Metadata RequestHeaders => _requestHeaders ??= _call.ReadRequestHeaders();

    /// <summary>Metadata sent to the client in the trailers, with the status.</summary>
    public Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    /// <summary>
    /// The status sent when the handler returns normally. Default OK; a handler may set another
    /// status instead of throwing <see cref="RpcException"/>.
    /// </summary>
    public Status Status { get; set; } = Status.DefaultSuccess;

    /// <summary>The caller established by the bearer token.</summary>
    public GrpcCaller Caller { get; }

    internal bool HasResponseTrailers => _responseTrailers is { Count: > 0 };

    /// <summary>
    /// Sends the response headers at once with <paramref name="responseHeaders"/> as initial metadata
    /// (optional: they go out with the first message otherwise). Once per call, before any message.
    /// </summary>
    public Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        return _call.WriteResponseHeadersAsync(responseHeaders);
    }

    /// <summary>The underlying ASP.NET Core request, for what this type does not expose.</summary>
    public HttpContext GetHttpContext() => _httpContext;

    private static string FormatPeer(ConnectionInfo connection)
    {
        var address = connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        var port = connection.RemotePort.ToString(CultureInfo.InvariantCulture);
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"ipv6:[{address}]:{port}" : $"ipv4:{address}:{port}";
    }
}
