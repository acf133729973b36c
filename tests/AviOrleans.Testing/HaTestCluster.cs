using AviOrleans.Grains;
using Orleans;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace AviOrleans.Testing;

/// <summary>
/// Real Orleans silos in this process (Microsoft.Orleans.TestingHost) running the HA grains, with
/// their state in a store all silos of the cluster share (<see cref="SharedGrainStorage"/>), and the grain-backed control plane over the cluster's
/// client. <see cref="StartAsync"/> gives SEs that are configuration only (their liveness is what is
/// reported, as for the gateway's API tests); in <see cref="StartWithMembershipAsync"/> the silos are
/// the SEs (TestCluster names them Primary, Secondary_1, ...), Orleans membership is their liveness,
/// and every order a silo applies is recorded (<see cref="RecordingVipOwnership"/>).
/// </summary>
public sealed class HaTestCluster : IAsyncDisposable
{
    private HaTestCluster(Orleans.TestingHost.TestCluster cluster)
    {
        Cluster = cluster;
        ControlPlane = new GrainHaControlPlane(cluster.Client);
    }

    /// <summary>The Orleans test cluster.</summary>
    public Orleans.TestingHost.TestCluster Cluster { get; }

    /// <summary>The grain-backed control plane, as a gateway-only process (an Orleans client) has it.</summary>
    public GrainHaControlPlane ControlPlane { get; }

    /// <summary>The cluster's client.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <summary>A cluster of <paramref name="silos"/> silos whose SEs' liveness is reported, not taken from membership.</summary>
    public static Task<HaTestCluster> StartAsync(short silos = 1) => StartAsync<ReportedLivenessSilo>(silos);

    /// <summary>A cluster as <see cref="StartAsync(short)"/>, each silo also configured by <typeparamref name="TExtra"/>.</summary>
    public static Task<HaTestCluster> StartConfiguredAsync<TExtra>(short silos)
        where TExtra : ISiloConfigurator, new() => StartAsync<ReportedLivenessSilo, TExtra>(silos);

    /// <summary>A cluster whose silos are SEs: SE liveness comes from Orleans membership.</summary>
    public static Task<HaTestCluster> StartWithMembershipAsync(short silos) => StartAsync<MembershipLivenessSilo>(silos);

    /// <summary>
    /// A cluster whose silos are SEs, as <see cref="StartWithMembershipAsync(short)"/>, each silo also configured by
    /// <typeparamref name="TExtra"/> (e.g. the namespace its prober pings from).
    /// </summary>
    public static Task<HaTestCluster> StartWithMembershipAsync<TExtra>(short silos)
        where TExtra : ISiloConfigurator, new() => StartAsync<MembershipLivenessSilo, TExtra>(silos);

    /// <summary>A cluster whose HA storage fails every write while <see cref="FailWrites"/> is set.</summary>
    public static Task<HaTestCluster> StartWithFailingStorageAsync() => StartAsync<ReportedLivenessSilo>(1);

    /// <summary>Makes the storage of a <see cref="StartWithFailingStorageAsync"/> cluster fail its writes.</summary>
    public bool FailWrites
    {
        set => SharedGrainStorage.FailWrites(Cluster.Options.ServiceId, value);
    }

    /// <summary>Rewrites a grain's stored state under a new ETag, as another activation's write would (see <see cref="SharedGrainStorage.Rewrite"/>).</summary>
    public bool RewriteStoredState(string stateName, string key) => SharedGrainStorage.Rewrite(Cluster.Options.ServiceId, stateName, key);

    /// <summary>The membership service of <paramref name="silo"/> (an in-process silo of this cluster).</summary>
    public static Orleans.Runtime.IClusterMembershipService MembershipOf(SiloHandle silo) =>
        ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<Orleans.Runtime.IClusterMembershipService>();

    /// <summary>Stops the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private static Task<HaTestCluster> StartAsync<TSilo>(short silos)
        where TSilo : ISiloConfigurator, new() => StartAsync<TSilo, NothingMore>(silos);

    private static async Task<HaTestCluster> StartAsync<TSilo, TExtra>(short silos)
        where TSilo : ISiloConfigurator, new()
        where TExtra : ISiloConfigurator, new()
    {
        var builder = new TestClusterBuilder(silos);
        builder.AddSiloBuilderConfigurator<TSilo>();
        builder.AddSiloBuilderConfigurator<TExtra>();
        builder.AddClientBuilderConfigurator<HaClient>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new HaTestCluster(cluster);
    }

    private sealed class ReportedLivenessSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddSharedGrainStorage().UseInMemoryReminderService().AddAviGrains(o => o.ServiceEngineLiveness = ServiceEngineLiveness.Reported);
    }

    private sealed class MembershipLivenessSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddSingleton<AviOrleans.Grains.DataPlane.IVipOwnership, RecordingVipOwnership>();
            siloBuilder.Services.Configure<AviOrleans.Grains.DataPlane.TakeoverGateOptions>(o => o.FencingWindow = TimeSpan.FromMilliseconds(200));
            siloBuilder.AddSharedGrainStorage().UseInMemoryReminderService().AddAviGrains(o => o.MembershipReconcilePeriod = TimeSpan.FromMilliseconds(500));
        }
    }

    private sealed class NothingMore : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
        }
    }

    private sealed class HaClient : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Services.AddSerializer(s => s.AddAviSerialization());
    }

}

/// <summary>Registers <see cref="SharedGrainStorage"/> as the HA grains' storage.</summary>
internal static class SharedGrainStorageExtensions
{
    public static ISiloBuilder AddSharedGrainStorage(this ISiloBuilder builder)
    {
        builder.Services.AddKeyedSingleton<Orleans.Storage.IGrainStorage, SharedGrainStorage>(HaRegistry.StorageName);
        return builder;
    }
}
