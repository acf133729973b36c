using System.Security.Cryptography.X509Certificates;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AviOrleans.Gateway;

/// <summary>
/// Puts the avi.v1 gateway into a web application: the one <see cref="GatewayHost"/> starts, or a silo's host (the
/// gateway co-hosted with the silo, serving the grains of that host's container).
/// </summary>
public static class GatewayWebApplicationBuilderExtensions
{
    /// <summary>
    /// Makes Kestrel listen where <paramref name="options"/> says (one HTTP/2-only endpoint, h2c or TLS from PEM files,
    /// explicit limits) and adds the gateway's services with its bearer tokens; the health starts at
    /// <see cref="GatewayOptions.InitialHealth"/>. The <c>IHaControlPlane</c> registered in the container is served.
    /// Then call <see cref="UseAviGateway"/> on the built application.
    /// </summary>
    public static WebApplicationBuilder AddAviGateway(this WebApplicationBuilder builder, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
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

        // Registered before the gateway's own (TryAdd), so that no request sees another status first.
        var initialHealth = options.InitialHealth;
        builder.Services.TryAddSingleton<HealthServiceImpl>();
        builder.Services.TryAddSingleton(sp => new GatewayHealth(sp.GetRequiredService<HealthServiceImpl>(), initialHealth));
        builder.Services.AddAviGateway(tokens =>
        {
            tokens.TokenFile = options.TokenFile;
            foreach (var token in options.Tokens)
            {
                tokens.Tokens.Add(token);
            }
        });
        return builder;
    }

    /// <summary>
    /// Adds authentication and authorization to the pipeline and maps the gateway's services; grpc.health.v1 reports
    /// the initial status from here on (before the server answers its first call).
    /// </summary>
    public static WebApplication UseAviGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // GatewayHealth publishes its statuses when created: created lazily, Check would answer NOT_FOUND until the
        // first component asked for it.
        app.Services.GetRequiredService<GatewayHealth>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAviGateway();
        return app;
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
