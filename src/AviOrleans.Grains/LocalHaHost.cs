using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace AviOrleans.Grains;

/// <summary>
/// The HA grains in one process: a single Orleans silo on localhost clustering with the grains'
/// state in Orleans' memory storage, and its grain-backed <see cref="IHaControlPlane"/>. For tools
/// and benchmarks that need the control plane without a cluster; SEs are configuration here, so
/// their liveness is what is reported. Nothing survives the process.
/// </summary>
public sealed class LocalHaHost : IAsyncDisposable
{
    private readonly IHost _host;

    private LocalHaHost(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
        ControlPlane = host.Services.GetRequiredService<IHaControlPlane>();
    }

    /// <summary>The control plane over this silo's grains.</summary>
    public IHaControlPlane ControlPlane { get; }

    /// <summary>The silo's grain factory.</summary>
    public IGrainFactory Grains { get; }

    /// <summary>Starts the silo (named <paramref name="siloName"/>) on free loopback ports.</summary>
    public static async Task<LocalHaHost> StartAsync(string siloName = "local", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(siloName);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var id = "local-" + Guid.NewGuid().ToString("N")[..12];
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort(), serviceId: id, clusterId: id)
            .Configure<SiloOptions>(o => o.SiloName = siloName)
            .AddMemoryGrainStorage(HaRegistry.StorageName)
            .UseInMemoryReminderService()
            .AddAviGrains(o => o.ServiceEngineLiveness = ServiceEngineLiveness.Reported));
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new LocalHaHost(host);
    }

    /// <summary>Stops the silo.</summary>
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
