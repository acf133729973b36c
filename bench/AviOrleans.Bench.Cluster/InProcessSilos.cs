using System.Net;
using System.Net.Sockets;
using AviOrleans.Grains;
using AviOrleans.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Serialization;

namespace AviOrleans.Bench.Cluster;

/// <summary>Silos configured as aviorleans-silo configures them (UseAviSilo: real TCP on loopback, the bench's store, fast profile), in this process.</summary>
internal static class InProcessSilos
{
    public static async Task<List<IHost>> StartAsync(int count, string clusterId, BenchStore store)
    {
        var hosts = new List<IHost>();
        for (var i = 0; i < count; i++)
        {
            var siloPort = FreePort();
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            builder.Logging.ClearProviders();
            var name = "bench-" + i;
            builder.UseOrleans(silo => silo.UseAviSilo(
                cluster =>
                {
                    cluster.ClusterId = clusterId;
                    cluster.Store = store.For(clusterId);
                },
                s =>
                {
                    s.SiloName = name;
                    s.SiloPort = siloPort;
                    s.GatewayPort = 0;
                }).Services.AddSerializer(AviSerialization));
            var host = builder.Build();
            await host.StartAsync();
            hosts.Add(host);
        }

        return hosts;
    }

    public static async Task<IHost> StartClientAsync(string clusterId, BenchStore store)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseAviCluster(cluster =>
        {
            cluster.ClusterId = clusterId;
            cluster.Store = store.For(clusterId);
        }).Services.AddSerializer(AviSerialization));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    // The HA grains' interfaces come with the silo assembly: Orleans checks at start that their domain types can be copied.
    private static void AviSerialization(ISerializerBuilder serializer) => serializer.AddAviSerialization();

    public static IGrainFactory Grains(IHost host) => host.Services.GetRequiredService<IGrainFactory>();

    public static async Task StopAsync(IEnumerable<IHost> hosts)
    {
        foreach (var host in hosts.Reverse())
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
