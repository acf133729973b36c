using AviOrleans.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Gateway;

/// <summary>
/// The gateway on a Kestrel server of its own (what <c>serve</c> runs, and what tests start): one HTTP/2-only endpoint,
/// h2c or TLS from PEM files. A host that serves other things too (a silo) uses <c>AddAviGateway</c> on its
/// <c>WebApplicationBuilder</c> and <c>UseAviGateway</c> on the application.
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
        builder.Services.AddSingleton(controlPlane);
        builder.AddAviGateway(options);
        var app = builder.Build();
        app.UseAviGateway();
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
}
