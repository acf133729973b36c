using System.Net.Http;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using AviOrleans.Grpc.Internal;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AviOrleans.Grpc;

/// <summary>
/// A gRPC client over <see cref="HttpClient"/>'s HTTP/2: h2c with prior knowledge for
/// <c>http://</c> addresses, TLS with ALPN for <c>https://</c>. Thread-safe; make one per server
/// and reuse it.
/// </summary>
/// <example>
/// <code>
/// using var channel = GrpcChannel.ForAddress("http://127.0.0.1:50051", new GrpcChannelOptions { BearerToken = token });
/// var vs = await channel.UnaryAsync&lt;GetVirtualServiceRequest, VirtualService&gt;(
///     "avi.v1.VirtualServices/GetVirtualService", new() { Name = "web" },
///     new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(5)));
/// await foreach (var e in channel.ServerStreamingAsync&lt;WatchRequest, PlacementEvent&gt;("avi.v1.Placement/Watch", new()))
/// { ... }
/// </code>
/// </example>
public sealed class GrpcChannel : IDisposable
{
    private readonly bool _ownsHandler;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        Options = options;
        var handler = options.HttpHandler;
        _ownsHandler = handler is null;
        handler ??= CreateHandler(options);
        Invoker = new HttpMessageInvoker(handler, disposeHandler: _ownsHandler);
    }

    /// <summary>The server's base address.</summary>
    public Uri Address { get; }

    /// <summary>The channel's options.</summary>
    public GrpcChannelOptions Options { get; }

    internal HttpMessageInvoker Invoker { get; }

    /// <summary>The absolute URI of a method path, parsed once per method.</summary>
    internal Uri GetMethodUri(string path) => _methodUris.GetOrAdd(path, static (p, address) => new Uri(address, p), Address);

    /// <summary>Creates a channel to <paramref name="address"/> (<c>http://host:port</c> or <c>https://host:port</c>).</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        return ForAddress(new Uri(address, UriKind.Absolute), options);
    }

    /// <summary>Creates a channel to <paramref name="address"/>.</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"A gRPC address is http:// (h2c) or https:// (TLS), not '{address.Scheme}'.", nameof(address));
        }

        options ??= new GrpcChannelOptions();
        if (options.CompressionAlgorithm is { } algorithm && !(algorithm is "gzip" or "deflate"))
        {
            throw new ArgumentException($"Compression '{algorithm}' is not supported; use gzip or deflate.", nameof(options));
        }

        return new GrpcChannel(address, options);
    }

    /// <summary>Calls a unary method; throws <see cref="RpcException"/> for any status but OK.</summary>
    /// <param name="method">The method as <c>package.Service/Method</c> (a leading '/' is allowed).</param>
    /// <param name="request">The request message.</param>
    /// <param name="options">Headers, deadline, cancellation.</param>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        using var call = new GrpcClientCall<TResponse>(this, NormalizePath(method), options, CancellationToken.None);
        await call.StartAsync(request);
        var response = await call.ReadNextAsync();
        if (response is not null && await call.ReadNextAsync() is not null)
        {
            throw new RpcException(StatusCode.Internal, "The server sent more than one message for a unary call.");
        }

        call.Finish();
        return response ?? throw new RpcException(StatusCode.Internal, "The server sent no response message for a unary call.");
    }

    /// <summary>
    /// Calls a server-streaming method and yields each response; throws <see cref="RpcException"/>
    /// at the end when the status is not OK. Stopping the enumeration early cancels the call.
    /// </summary>
    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        CallOptions options = default,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        using var call = new GrpcClientCall<TResponse>(this, NormalizePath(method), options, cancellationToken);
        await call.StartAsync(request);
        while (await call.ReadNextAsync() is { } response)
        {
            yield return response;
        }

        call.Finish();
    }

    /// <summary>Calls the unary method <paramref name="method"/> (from the generated descriptors).</summary>
    public Task<TResponse> UnaryAsync<TRequest, TResponse>(MethodDescriptor method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.IsClientStreaming || method.IsServerStreaming)
        {
            throw new ArgumentException($"{method.FullName} is a streaming method.", nameof(method));
        }

        return UnaryAsync<TRequest, TResponse>("/" + method.Service.FullName + "/" + method.Name, request, options);
    }

    /// <summary>Calls the server-streaming method <paramref name="method"/> (from the generated descriptors).</summary>
    public IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(MethodDescriptor method, TRequest request, CallOptions options = default, CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.IsClientStreaming || !method.IsServerStreaming)
        {
            throw new ArgumentException($"{method.FullName} is not a server-streaming method.", nameof(method));
        }

        return ServerStreamingAsync<TRequest, TResponse>("/" + method.Service.FullName + "/" + method.Name, request, options, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => Invoker.Dispose();

    private static string NormalizePath(string method)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        var path = method[0] == '/' ? method : "/" + method;
        if (path.Count(c => c == '/') != 2)
        {
            throw new ArgumentException($"'{method}' is not a method path; expected package.Service/Method.", nameof(method));
        }

        return path;
    }

    private static SocketsHttpHandler CreateHandler(GrpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // More than one connection once a connection's stream limit (Kestrel: 100) is reached.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        if (options.KeepAlivePingDelay is { } pingDelay)
        {
            handler.KeepAlivePingDelay = pingDelay;
            handler.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
            handler.KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests;
        }

        handler.SslOptions.ApplicationProtocols = [SslApplicationProtocol.Http2];
        if (options.TrustedServerCertificate is { } trusted)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateAgainst(trusted, certificate, errors);
        }

        return handler;
    }

    private static bool ValidateAgainst(X509Certificate2 trusted, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }
}
