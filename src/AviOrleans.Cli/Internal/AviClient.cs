using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using AviOrleans.Api;
using AviOrleans.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace AviOrleans.Cli.Internal;

/// <summary>
/// The generated avi.v1 clients on one <see cref="GrpcChannel"/>, with avictl's deadline and bearer token on every
/// call, retries of idempotent reads (Get*, List*) on UNAVAILABLE through the channel's service config, and TLS that
/// trusts a given CA file.
/// </summary>
internal sealed class AviClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly X509Certificate2? _ca;
    private readonly TimeSpan _timeout;
    private readonly Metadata _headers = [];
    private readonly CancellationToken _cancellationToken;

    public AviClient(ClientSettings settings, CancellationToken cancellationToken)
    {
        _timeout = settings.Timeout;
        _cancellationToken = cancellationToken;
        if (settings.Token is { } token)
        {
            _headers.Add("authorization", "Bearer " + token);
        }

        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (settings.CaFile is { } ca)
        {
            try
            {
                _ca = X509CertificateLoader.LoadCertificateFromFile(ca);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new UsageException($"--ca: cannot read a certificate from \"{ca}\": {ex.Message}");
            }

            var trusted = _ca;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusts(trusted, certificate, errors);
        }

        _channel = GrpcChannel.ForAddress(settings.Gateway, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            ServiceConfig = new ServiceConfig { MethodConfigs = { ReadRetries() } },
        });
        Groups = new ServiceEngineGroupService.ServiceEngineGroupServiceClient(_channel);
        Engines = new ServiceEngineService.ServiceEngineServiceClient(_channel);
        VsVips = new VsVipService.VsVipServiceClient(_channel);
        VirtualServices = new VirtualServiceService.VirtualServiceServiceClient(_channel);
        Ha = new HaService.HaServiceClient(_channel);
    }

    public ServiceEngineGroupService.ServiceEngineGroupServiceClient Groups { get; }

    public ServiceEngineService.ServiceEngineServiceClient Engines { get; }

    public VsVipService.VsVipServiceClient VsVips { get; }

    public VirtualServiceService.VirtualServiceServiceClient VirtualServices { get; }

    public HaService.HaServiceClient Ha { get; }

    /// <summary>A unary call with the call deadline (<c>--timeout</c>).</summary>
    public async Task<TResponse> CallAsync<TResponse>(Func<CallOptions, AsyncUnaryCall<TResponse>> call)
    {
        using var pending = call(new CallOptions(_headers, DateTime.UtcNow + _timeout, _cancellationToken));
        return await pending.ResponseAsync;
    }

    /// <summary>A server stream, with no deadline (watch and upgrade run until they end or are stopped).</summary>
    public async IAsyncEnumerable<TResponse> StreamAsync<TResponse>(Func<CallOptions, AsyncServerStreamingCall<TResponse>> call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, cancellationToken);
        using var pending = call(new CallOptions(_headers, cancellationToken: linked.Token));
        await foreach (var item in pending.ResponseStream.ReadAllAsync(linked.Token))
        {
            yield return item;
        }
    }

    public void Dispose()
    {
        _channel.Dispose();
        _ca?.Dispose();
    }

    // Get* and List* change nothing, so a call that found the gateway unavailable (restarting, a connection refused)
    // is safely made again, within the call's deadline.
    private static MethodConfig ReadRetries()
    {
        var config = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 4,
                InitialBackoff = TimeSpan.FromMilliseconds(200),
                MaxBackoff = TimeSpan.FromSeconds(2),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var service in AviApi.Services)
        {
            foreach (var method in service.Methods.Where(m => !m.IsServerStreaming && (m.Name.StartsWith("Get", StringComparison.Ordinal) || m.Name.StartsWith("List", StringComparison.Ordinal))))
            {
                config.Names.Add(new MethodName { Service = service.FullName, Method = method.Name });
            }
        }

        return config;
    }

    // Trust a server whose certificate chains to (or is) the given CA and names the host we asked for.
    private static bool Trusts(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
