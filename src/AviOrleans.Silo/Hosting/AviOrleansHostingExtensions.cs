using System.Net;
using System.Net.Sockets;
using AviOrleans.Persistence;
using AviOrleans.Silo.Hosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace AviOrleans.Silo.Hosting;

/// <summary>
/// Makes an Orleans silo or client a member of an AviOrleans cluster: identity, endpoints, store, TLS with pinned
/// certificates, the membership profile, and a fatal-error handler that exits instead of failing fast.
/// </summary>
public static class AviOrleansHostingExtensions
{
    /// <summary>
    /// Configures this silo from <paramref name="configureCluster"/> and <paramref name="configureSilo"/> (both
    /// validated at start). A silo or gateway port of 0 is replaced by a free port now, so that the silo advertises
    /// the port it listens on.
    /// </summary>
    public static ISiloBuilder UseAviSilo(this ISiloBuilder builder, Action<AviClusterOptions> configureCluster, Action<SiloHostOptions> configureSilo)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureCluster);
        ArgumentNullException.ThrowIfNull(configureSilo);
        var cluster = new AviClusterOptions();
        configureCluster(cluster);
        var silo = new SiloHostOptions();
        configureSilo(silo);
        var siloPort = silo.SiloPort == 0 ? FreePort(silo.ListenAddress) : silo.SiloPort;
        var gatewayPort = silo.GatewayPort == 0 ? FreePort(silo.ListenAddress) : silo.GatewayPort;

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SiloTermination>();
        AddValidatedOptions(services, configureCluster);
        services.AddOptions<SiloHostOptions>()
            .Configure(configureSilo)
            .PostConfigure(o => (o.SiloPort, o.GatewayPort) = (siloPort, gatewayPort))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloHostOptions>, SiloHostOptionsValidator>());

        builder.Configure<SiloOptions>(o => o.SiloName = silo.SiloName);
        builder.UseAviMembership(silo.Membership);
        var advertised = IPAddress.TryParse(silo.AdvertisedAddress ?? silo.ListenAddress, out var parsed) ? parsed : null;
        if (advertised is not null && IPAddress.TryParse(silo.ListenAddress, out var listen))
        {
            builder.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = advertised;
                o.SiloPort = siloPort;
                o.GatewayPort = gatewayPort;
                o.SiloListeningEndpoint = new IPEndPoint(listen, siloPort);
                o.GatewayListeningEndpoint = new IPEndPoint(listen, gatewayPort);
            });
        }

        // Invalid values were configured above as given; ValidateOnStart reports them before anything connects.
        // Membership, the grain storage the HA grains use, reminders and the fencing leases, on one database whose
        // schema the silo migrates at start (a fresh database needs no manual step).
        builder.UseAviStore(cluster.Store);
        AddTls(services, cluster, credentials => builder.UseTls(tls => ClusterTls.Configure(tls, credentials)));

        // The directory whose entries survive a silo's death (the survivors' activations are recovered, not dropped):
        // a group grain living on a survivor keeps running through the failover it decides, and a migrated one is
        // registered by compare-and-swap. Orleans' TestCluster uses it too, so the grain tests run on the same.
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10.4.2; every silo of a cluster must run it.
        builder.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003

        // Without this, grains that lived on a dead silo could not be activated again for ~30 s (the range lease minus
        // the detection time) in case the silo still runs them. Its VIPs are fenced and the group's writes are
        // conditional (ETag), so a failover may re-activate its grains at once, as Orleans' classic directory did.
        builder.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = TimeSpan.Zero);

        // Orleans registers its own handler with TryAdd; replace it as Orleans' TestCluster does.
        services.Replace(ServiceDescriptor.Singleton<IFatalErrorHandler, ExitOnFatalError>());
        return builder;
    }

    /// <summary>
    /// Sets Orleans' failure detection (<see cref="ClusterMembershipOptions"/>) to <paramref name="profile"/>; part of
    /// <see cref="UseAviSilo"/>, and usable alone (test clusters).
    /// </summary>
    public static ISiloBuilder UseAviMembership(this ISiloBuilder builder, MembershipProfile profile)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Configure<ClusterMembershipOptions>(o => MembershipProfiles.Apply(profile, o));
    }

    /// <summary>
    /// Configures this client (a gateway-only process) to connect to the cluster described by
    /// <paramref name="configureCluster"/>, validated at start.
    /// </summary>
    public static IClientBuilder UseAviCluster(this IClientBuilder builder, Action<AviClusterOptions> configureCluster)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureCluster);
        var cluster = new AviClusterOptions();
        configureCluster(cluster);
        builder.Services.TryAddSingleton(TimeProvider.System);
        AddValidatedOptions(builder.Services, configureCluster);
        // The client finds the cluster's gateways (its silos' Orleans gateway endpoints) in the store's membership table.
        builder.UseAviStore(cluster.Store);
        AddTls(builder.Services, cluster, credentials => builder.UseTls(tls => ClusterTls.Configure(tls, credentials)));
        return builder;
    }

    private static void AddValidatedOptions(IServiceCollection services, Action<AviClusterOptions> configureCluster)
    {
        services.AddOptions<AviClusterOptions>().Configure(configureCluster).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AviClusterOptions>, AviClusterOptionsValidator>());
        services.AddOptions<ClusterOptions>().Configure<IOptions<AviClusterOptions>>((o, avi) =>
        {
            o.ClusterId = avi.Value.ClusterId;
            o.ServiceId = avi.Value.ServiceId;
        });
    }

    // Orleans' UseTls needs the certificate while the host is built; files that do not load fail here with the
    // validator's message (the command checks the options before building, so this is for other hosts).
    private static void AddTls(IServiceCollection services, AviClusterOptions cluster, Action<ClusterCredentials> useTls)
    {
        if (ClusterCredentials.LoadOrNull(cluster, TimeProvider.System) is not { } credentials)
        {
            return;
        }

        services.AddSingleton(credentials);
        useTls(credentials);
    }

    private static int FreePort(string listenAddress)
    {
        var address = IPAddress.TryParse(listenAddress, out var parsed) ? parsed : IPAddress.Loopback;
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
