using Microsoft.AspNetCore.Http;

namespace AviOrleans.Grpc;

/// <summary>What a handler knows about the call it serves.</summary>
public sealed class ServerCallContext
{
    private readonly HttpContext _httpContext;

    internal ServerCallContext(
        HttpContext httpContext,
        string method,
        DateTime deadline,
        Metadata requestHeaders,
        GrpcCaller caller,
        CancellationToken cancellationToken)
    {
        _httpContext = httpContext;
        Method = method;
        Deadline = deadline;
        RequestHeaders = requestHeaders;
        Caller = caller;
        CancellationToken = cancellationToken;
        Host = httpContext.Request.Host.Value ?? string.Empty;
        var connection = httpContext.Connection;
        Peer = connection.RemoteIpAddress is null
            ? "unknown"
            : (connection.RemoteIpAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ipv6:[" + connection.RemoteIpAddress + "]:" : "ipv4:" + connection.RemoteIpAddress + ":")
                + connection.RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The method's path, e.g. <c>/avi.v1.VirtualServices/GetVirtualService</c>.</summary>
    public string Method { get; }

    /// <summary>The <c>:authority</c> the client addressed.</summary>
    public string Host { get; }

    /// <summary>The client's address, in gRPC's form (<c>ipv4:127.0.0.1:5000</c>).</summary>
    public string Peer { get; }

    /// <summary>The call's deadline (UTC) from <c>grpc-timeout</c>; <see cref="DateTime.MaxValue"/> when none.</summary>
    public DateTime Deadline { get; }

    /// <summary>Fires when the client cancels, the connection drops or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The request's custom metadata (reserved and HTTP headers removed).</summary>
    public Metadata RequestHeaders { get; }

    /// <summary>Metadata sent to the client in the trailers, with the status.</summary>
    public Metadata ResponseTrailers { get; } = new();

    /// <summary>
    /// The status sent when the handler returns normally. Default OK; a handler may set another
    /// status instead of throwing <see cref="RpcException"/>.
    /// </summary>
    public Status Status { get; set; } = Status.DefaultSuccess;

    /// <summary>The caller established by the bearer token.</summary>
    public GrpcCaller Caller { get; }

    /// <summary>The underlying ASP.NET Core request, for what this type does not expose.</summary>
    public HttpContext GetHttpContext() => _httpContext;
}
