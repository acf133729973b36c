using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AviOrleans.Api.V1;
using AviOrleans.Grains;
using AviOrleans.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace AviOrleans.Gateway.Tests;

/// <summary>
/// The gateway on real Kestrel (127.0.0.1, port 0) with an admin and a reader token, and Grpc.Net.Client channels
/// to it: the generated avi.v1 clients, and calls by method path for tests that walk many methods.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    public const string AdminToken = "admin-secret-token";
    public const string ReaderToken = "reader-secret-token";

    private readonly GatewayHost _host;
    private readonly GrpcChannel _channel;

    private GatewayServer(GatewayHost host, HaTestCluster cluster, X509Certificate2? trusted)
    {
        _host = host;
        Cluster = cluster;
        _channel = CreateChannel(host.Address, trusted);
        Ha = new HaService.HaServiceClient(_channel);
    }

    /// <summary>The HA grains behind the gateway (Orleans silos in this process).</summary>
    public HaTestCluster Cluster { get; }

    public IHaControlPlane ControlPlane => Cluster.ControlPlane;

    public Uri Address => _host.Address;

    public GatewayHost Host => _host;

    /// <summary>The generated HaService client (pass <see cref="Admin"/> or <see cref="Reader"/> options).</summary>
    public HaService.HaServiceClient Ha { get; }

    public static async Task<GatewayServer> StartAsync(TlsFiles? tls = null)
    {
        var cluster = await HaTestCluster.StartAsync();
        var options = new GatewayOptions
        {
            Address = IPAddress.Loopback,
            Port = 0,
            TlsCertificateFile = tls?.CertificatePath,
            TlsKeyFile = tls?.KeyPath,
        };
        options.Tokens.Add(new BearerToken { Name = "ops", Role = GatewayRole.Admin, Token = AdminToken });
        options.Tokens.Add(new BearerToken { Name = "grafana", Role = GatewayRole.Reader, Sha256 = BearerToken.HashToken(ReaderToken) });
        var host = await GatewayHost.StartAsync(options, cluster.ControlPlane, cancellationToken: TestContext.Current.CancellationToken);
        return new GatewayServer(host, cluster, tls?.Certificate);
    }

    /// <summary>A Grpc.Net.Client channel to <paramref name="address"/>, trusting exactly <paramref name="trusted"/> for TLS.</summary>
    public static GrpcChannel CreateChannel(Uri address, X509Certificate2? trusted = null)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (trusted is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                && certificate.GetCertHashString() == trusted.GetCertHashString();
        }

        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>Call options with the admin token and a 30 s deadline.</summary>
    public static CallOptions Admin(CancellationToken cancellationToken = default) => Options(AdminToken, cancellationToken);

    /// <summary>Call options with the reader token and a 30 s deadline.</summary>
    public static CallOptions Reader(CancellationToken cancellationToken = default) => Options(ReaderToken, cancellationToken);

    /// <summary>Calls <paramref name="method"/> (<c>Service/Method</c> under avi.v1) as admin.</summary>
    public Task<TResponse> AdminAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        UnaryAsync<TRequest, TResponse>(method, request, Admin());

    public Task<TResponse> ReaderAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        UnaryAsync<TRequest, TResponse>(method, request, Reader());

    public Task<TResponse> AnonymousAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        UnaryAsync<TRequest, TResponse>(method, request, Options(null, default));

    /// <summary>A server stream of <paramref name="method"/> as admin, without a deadline.</summary>
    public async IAsyncEnumerable<TResponse> StreamAsync<TRequest, TResponse>(string method, TRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var headers = new Metadata { { "authorization", "Bearer " + AdminToken } };
        using var call = _channel.CreateCallInvoker().AsyncServerStreamingCall(
            AviMethod.Of<TRequest, TResponse>(MethodType.ServerStreaming, method), null, new CallOptions(headers, cancellationToken: cancellationToken), request);
        await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return item;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    private static CallOptions Options(string? token, CancellationToken cancellationToken)
    {
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }

        return new CallOptions(headers, DateTime.UtcNow.AddSeconds(30), cancellationToken == default ? TestContext.Current.CancellationToken : cancellationToken);
    }

    private async Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, CallOptions options)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        using var call = _channel.CreateCallInvoker().AsyncUnaryCall(AviMethod.Of<TRequest, TResponse>(MethodType.Unary, method), null, options, request);
        return await call.ResponseAsync;
    }
}
