using System.Net;
using AviOrleans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Grpc.Tests;

/// <summary>The Echo service on real Kestrel sockets: h2c on 127.0.0.1:0 and, when asked, TLS.</summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoServer(WebApplication app, EchoService echo, Uri h2cAddress, Uri? tlsAddress)
    {
        _app = app;
        Echo = echo;
        H2cAddress = h2cAddress;
        TlsAddress = tlsAddress;
    }

    public EchoService Echo { get; }

    public Uri H2cAddress { get; }

    public Uri? TlsAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<EchoServer> StartAsync(Action<GrpcServerOptions>? configure = null, TlsFiles? tls = null, Func<EchoService, GrpcServiceDefinition>? define = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseGrpcH2c());
            if (tls is not null)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseGrpcTls(tls.CertificatePath, tls.KeyPath));
            }
        });
        builder.Services.AddGrpcTransport(options =>
        {
            options.MapException<FieldValidationException>(e => RpcErrors.BadRequest(null, (e.Field, e.Description)));
            configure?.Invoke(options);
        });
        var app = builder.Build();
        var echo = new EchoService();
        app.MapGrpcService(define is null ? echo.CreateDefinition() : define(echo));
        app.MapGrpcHealthService();
        app.MapGrpcReflectionService();
        await app.StartAsync(TestContext.Current.CancellationToken);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var h2c = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)));
        var tlsAddress = addresses.SingleOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
        return new EchoServer(app, echo, h2c, tlsAddress is null ? null : new Uri(tlsAddress));
    }

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(H2cAddress, options);

    /// <summary>Stops the host as a silo shutting down would (graceful: open calls may finish).</summary>
    public Task StopAsync() => _app.StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
