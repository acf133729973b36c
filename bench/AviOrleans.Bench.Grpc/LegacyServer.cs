using System.Net;
using AviOrleans.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AviOrleans.Bench.Grpc;

/// <summary>
/// The same handler on the hand-written transport (src/AviOrleans.Grpc), on a Kestrel endpoint of its own,
/// so that the switch to Grpc.AspNetCore is measured in the same run.
/// </summary>
internal sealed class LegacyServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LegacyServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LegacyServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseGrpcH2c()));
        builder.Services.AddGrpcTransport();
        var app = builder.Build();
        app.MapGrpcService(GrpcServiceDefinition.Create(BenchReflection.Descriptor, "Bench")
            .AddUnary<GetRequest, Item>("Get", (request, _) => Task.FromResult(BenchHandlers.Get(request)))
            .AddServerStreaming<WatchRequest, Item>("Watch", async (request, stream, context) =>
            {
                for (var i = 0; i < request.Count; i++)
                {
                    await stream.WriteAsync(BenchHandlers.Event(i), context.CancellationToken);
                }
            }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LegacyServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
