using System.Security.Cryptography.X509Certificates;
using AviOrleans.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Gateway;

/// <summary>
/// The gateway on a Kestrel server of its own (what <c>serve</c> runs, and what tests start): one HTTP/2-only endpoint,
/// h2c or TLS from PEM files. A host that serves other things too uses <c>AddAviGateway</c> and <c>MapAviGateway</c>.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri address, IHaControlPlane controlPlane)
    {
        _app = app;
        Address = address;
        ControlPlane = controlPlane;
    }

    /// <summary>The address clients use (<c>http://</c> for h2c, <c>https://</c> for TLS).</summary>
    public Uri Address { get; }

    /// <summary>The control plane the gateway serves.</summary>
    public IHaControlPlane ControlPlane { get; }

    /// <summary>The health the gateway reports (grpc.health.v1); the silo drives it.</summary>
    public GatewayHealth Health => _app.Services.GetRequiredService<GatewayHealth>();

    /// <summary>Starts the gateway on <paramref name="controlPlane"/>.</summary>
    /// <param name="options">Address, TLS and tokens; validated first.</param>
    /// <param name="controlPlane">The control plane to serve.</param>
    /// <param name="configureLogging">Logging set-up; default: none (no console output).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<GatewayHost> StartAsync(
        GatewayOptions options,
        IHaControlPlane controlPlane,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(controlPlane);
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);

        // Streams end at once when stopping (UNAVAILABLE); this bounds how long unary calls in flight may finish.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            ConfigureLimits(kestrel.Limits);
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                // HTTP/2 only: gRPC needs it, and on h2c (no ALPN) an endpoint that also spoke HTTP/1.1 would
                // answer gRPC clients in HTTP/1.1.
                listen.Protocols = HttpProtocols.Http2;
                if (options.TlsCertificateFile is { } cert && options.TlsKeyFile is { } key)
                {
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(cert, key));
                }
            });
        });
        builder.Services.AddSingleton(controlPlane);
        builder.Services.AddAviGateway(tokens =>
        {
            tokens.TokenFile = options.TokenFile;
            foreach (var token in options.Tokens)
            {
                tokens.Tokens.Add(token);
            }
        });
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAviGateway();
        app.Services.GetRequiredService<GatewayHealth>().SetOverallStatus(options.InitialHealth);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GatewayHost(app, new Uri(bound), controlPlane);
    }

    /// <summary>Stops serving: streams end with UNAVAILABLE at once, unary calls in flight get up to 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    // Kestrel's limits, written out so that they are a decision, not an accident of the defaults.
    private static void ConfigureLimits(KestrelServerLimits limits)
    {
        // A message is at most 4 MiB (Grpc.AspNetCore answers RESOURCE_EXHAUSTED first); the body limit is a backstop.
        limits.MaxRequestBodySize = 2L * GatewayServiceCollectionExtensions.MaxMessageSize;
        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MaxRequestHeaderCount = 100;
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(130);
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);

        // A slow client of a unary call is cut off; Grpc.AspNetCore lifts this for streaming requests.
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        limits.Http2.MaxStreamsPerConnection = 100;
        limits.Http2.HeaderTableSize = 4096;
        limits.Http2.MaxFrameSize = 16 * 1024;
        limits.Http2.MaxRequestHeaderFieldSize = 16 * 1024;
        limits.Http2.InitialConnectionWindowSize = 1024 * 1024;
        limits.Http2.InitialStreamWindowSize = 768 * 1024;

        // Pings find dead peers of long watches (load balancers drop idle connections without a word).
        limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(60);
        limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
    }
}
