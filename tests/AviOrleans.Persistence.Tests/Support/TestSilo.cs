using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace AviOrleans.Persistence.Tests.Support;

/// <summary>
/// A real silo: a generic host with <c>UseOrleans</c>, listening on loopback ports of its own, started and stopped
/// the way a silo process does. Several in one process form a cluster through their membership store.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private TestSilo(IHost host, string name, int siloPort, int gatewayPort)
    {
        Host = host;
        Name = name;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public IHost Host { get; }

    public string Name { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public IServiceProvider Services => Host.Services;

    public bool IsStarted { get; private set; }

    public bool IsStopped { get; private set; }

    /// <summary>Builds the silo without starting it (a bad-input test starts it and expects the failure).</summary>
    public static TestSilo Create(string clusterId, string name, Action<ISiloBuilder> configure, int? siloPort = null, int? gatewayPort = null)
    {
        var ports = (Silo: siloPort ?? FreePorts.Next(), Gateway: gatewayPort ?? FreePorts.Next());
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, clusterId));
            silo.Configure<SiloOptions>(o => o.SiloName = name);
            silo.ConfigureEndpoints(IPAddress.Loopback, ports.Silo, ports.Gateway, listenOnAnyHostAddress: false);

            // Reads the table every second, so a cluster test sees joins and deaths without a minute of defaults.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
            configure(silo);
        });
        return new TestSilo(builder.Build(), name, ports.Silo, ports.Gateway);
    }

    public static async Task<TestSilo> StartAsync(string clusterId, string name, Action<ISiloBuilder> configure, int? siloPort = null, int? gatewayPort = null)
    {
        var silo = Create(clusterId, name, configure, siloPort, gatewayPort);
        try
        {
            await silo.StartAsync();
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the silo; it counts as started (and is stopped on dispose) only if the start succeeded.</summary>
    public async Task StartAsync()
    {
        await Host.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        IsStarted = true;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Stops gracefully: the silo writes ShuttingDown, then Dead, into the membership table.</summary>
    public async Task StopAsync()
    {
        if (IsStarted && !IsStopped)
        {
            IsStopped = true;
            await Host.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(120));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            // A host that a test broke may not stop cleanly; it is disposed anyway.
        }

        if (Host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
    }
}
