using System.Net;
using System.Net.Sockets;
using AviOrleans.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace AviOrleans.Silo.Serve.Internal;

/// <summary>
/// The HA grains for <c>serve</c>: an Orleans silo in this process (localhost clustering, the HA
/// grains' state in memory) whose grain-backed <see cref="IHaControlPlane"/> the co-hosted gateway
/// serves. SEs here are configuration, not silos, so their liveness is what is reported.
/// The silo host (issue 8) replaces this with the product's Orleans silo and its stores.
/// </summary>
internal sealed class GrainControlPlaneHost : IAsyncDisposable
{
    private readonly IHost _host;

    private GrainControlPlaneHost(IHost host)
    {
        _host = host;
        ControlPlane = host.Services.GetRequiredService<IHaControlPlane>();
    }

    public IHaControlPlane ControlPlane { get; }

    public static async Task<GrainControlPlaneHost> StartAsync(string siloName, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var id = "serve-" + Guid.NewGuid().ToString("N")[..12];
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort(), serviceId: id, clusterId: id)
            .Configure<SiloOptions>(o => o.SiloName = siloName)
            .AddMemoryGrainStorage(HaRegistry.StorageName)
            .AddAviGrains(o => o.ServiceEngineLiveness = ServiceEngineLiveness.Reported));
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new GrainControlPlaneHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
