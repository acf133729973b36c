using AviOrleans.Grains;
using AviOrleans.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Gateway;

/// <summary>The gateway on its own Kestrel server: what the silo runs, and what tests start.</summary>
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
    public GrpcHealthStatusProvider Health => _app.Services.GetRequiredService<GrpcHealthStatusProvider>();

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
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Address, options.Port, listen =>
        {
            if (options.TlsCertificateFile is { } cert && options.TlsKeyFile is { } key)
            {
                listen.UseGrpcTls(cert, key);
            }
            else
            {
                listen.UseGrpcH2c();
            }
        }));
        builder.Services.AddSingleton(controlPlane);
        builder.Services.AddAviGateway(grpc =>
        {
            grpc.Authentication.RequireAuthentication = options.Tokens.Count > 0;
            foreach (var token in options.Tokens)
            {
                grpc.Authentication.Tokens.Add(token);
            }
        });
        var app = builder.Build();
        app.MapAviGateway();
        app.Services.GetRequiredService<GrpcHealthStatusProvider>().SetOverallStatus(options.InitialHealth);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new GatewayHost(app, new Uri(bound), controlPlane);
    }

    /// <summary>Stops serving: calls in flight are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
