using System.Net;
using AviOrleans.Grains;
using AviOrleans.Grpc;
using AviOrleans.Testing;
using Google.Protobuf;

namespace AviOrleans.Gateway.Tests;

/// <summary>The gateway on real Kestrel (127.0.0.1, port 0) with an admin and a reader token.</summary>
public sealed class GatewayServer : IAsyncDisposable
{
    public const string AdminToken = "admin-secret-token";
    public const string ReaderToken = "reader-secret-token";

    private readonly GatewayHost _host;
    private readonly GrpcChannel _admin;
    private readonly GrpcChannel _reader;
    private readonly GrpcChannel _anonymous;

    private GatewayServer(GatewayHost host, InMemoryHaControlPlane controlPlane, GrpcChannelOptions? baseOptions)
    {
        _host = host;
        ControlPlane = controlPlane;
        _admin = Channel(AdminToken, baseOptions);
        _reader = Channel(ReaderToken, baseOptions);
        _anonymous = Channel(null, baseOptions);
    }

    public InMemoryHaControlPlane ControlPlane { get; }

    public Uri Address => _host.Address;

    public GatewayHost Host => _host;

    public static async Task<GatewayServer> StartAsync(TlsFiles? tls = null)
    {
        var controlPlane = new InMemoryHaControlPlane();
        var options = new GatewayOptions
        {
            Address = IPAddress.Loopback,
            Port = 0,
            TlsCertificateFile = tls?.CertificatePath,
            TlsKeyFile = tls?.KeyPath,
        };
        options.Tokens.Add(new GrpcBearerToken { Name = "ops", Role = GrpcRole.Admin, Token = AdminToken });
        options.Tokens.Add(new GrpcBearerToken { Name = "grafana", Role = GrpcRole.Reader, Sha256 = GrpcBearerToken.HashToken(ReaderToken) });
        var host = await GatewayHost.StartAsync(options, controlPlane, cancellationToken: TestContext.Current.CancellationToken);
        return new GatewayServer(host, controlPlane, tls is null ? null : new GrpcChannelOptions { TrustedServerCertificate = tls.Certificate });
    }

    /// <summary>Calls <paramref name="method"/> (<c>Service/Method</c> under avi.v1) as admin.</summary>
    public Task<TResponse> AdminAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        _admin.UnaryAsync<TRequest, TResponse>("avi.v1." + method, request, Options());

    public Task<TResponse> ReaderAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        _reader.UnaryAsync<TRequest, TResponse>("avi.v1." + method, request, Options());

    public Task<TResponse> AnonymousAsync<TRequest, TResponse>(string method, TRequest request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        _anonymous.UnaryAsync<TRequest, TResponse>("avi.v1." + method, request, Options());

    public IAsyncEnumerable<TResponse> StreamAsync<TRequest, TResponse>(string method, TRequest request, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        _admin.ServerStreamingAsync<TRequest, TResponse>("avi.v1." + method, request, default, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        _reader.Dispose();
        _anonymous.Dispose();
        await _host.DisposeAsync();
        await ControlPlane.DisposeAsync();
    }

    private static CallOptions Options() => new(Deadline: DateTime.UtcNow.AddSeconds(30), CancellationToken: TestContext.Current.CancellationToken);

    private GrpcChannel Channel(string? token, GrpcChannelOptions? baseOptions) =>
        GrpcChannel.ForAddress(_host.Address, new GrpcChannelOptions
        {
            BearerToken = token,
            TrustedServerCertificate = baseOptions?.TrustedServerCertificate,
        });
}
