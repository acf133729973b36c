using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AviOrleans.Grains;
using AviOrleans.Grains.DataPlane;
using AviOrleans.Grains.DataPlane.Internal;
using AviOrleans.Persistence;
using AviOrleans.Persistence.Leases;
using AviOrleans.Testing;
using AviOrleans.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace AviOrleans.DataPlane.Tests;

/// <summary>
/// Several Orleans silos in one process (Microsoft.Orleans.TestingHost), each one an SE host: its data plane works in
/// its own network namespace of a <see cref="Lan"/>, and its lease store is the real PostgreSQL behind a TCP proxy of its
/// own, so a test can take the store away from one silo, or from all.
/// </summary>
internal sealed class DataPlaneCluster : IAsyncDisposable
{
    public const byte Mark = 0xA5;

    private readonly List<TcpProxy> _proxies;
    private readonly PostgreSqlLeaseStore _leases;

    private DataPlaneCluster(Lan lan, InProcessTestCluster cluster, List<TcpProxy> proxies, string clusterId)
    {
        Lan = lan;
        Cluster = cluster;
        _proxies = proxies;
        ClusterId = clusterId;
        _leases = new PostgreSqlLeaseStore(StoreOptions(PostgreSqlTestServer.ConnectionString), clusterId);
    }

    public Lan Lan { get; }

    public InProcessTestCluster Cluster { get; }

    public string ClusterId { get; }

    /// <summary>The test's own view of the lease store (not through any proxy; one connection pool for the test).</summary>
    public ILeaseStore Leases => _leases;

    /// <summary>The name InProcessTestCluster gives silo <paramref name="index"/>: the SE's name.</summary>
    public static string SiloName(int index) => "Silo_" + index.ToString(CultureInfo.InvariantCulture);

    public static async Task<DataPlaneCluster> StartAsync(int silos, bool guard = false, Action<DataPlaneOptions>? tune = null)
    {
        var connectionString = PostgreSqlTestServer.ConnectionString;
        var lan = await Lan.CreateAsync(silos);
        var proxies = new List<TcpProxy>();
        try
        {
            var server = new NpgsqlConnectionStringBuilder(connectionString);
            var target = new IPEndPoint(IPAddress.TryParse(server.Host, out var ip) ? ip : Dns.GetHostAddresses(server.Host!)[0], server.Port);
            for (var i = 0; i < silos; i++)
            {
                proxies.Add(new TcpProxy(target));
            }

            var clusterId = "dp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var builder = new InProcessTestClusterBuilder((short)silos);
            builder.Options.ClusterId = clusterId;
            builder.ConfigureSilo((options, silo) =>
            {
                var index = IndexOf(options.SiloName);
                var store = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = proxies[index].Port, Timeout = 2 }.ToString();
                silo.Services.AddSingleton<ILeaseStore>(_ => new PostgreSqlLeaseStore(StoreOptions(store), clusterId));

                silo.Configure<ClusterMembershipOptions>(m =>
                {
                    m.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                    m.MaxProbeTimeout = TimeSpan.FromSeconds(1);
                    m.NumMissedProbesLimit = 3;
                    m.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                });
                // The product's composition: the HA grains, then the data plane in place of their simple ownership and gate.
                silo.AddSharedGrainStorage().UseInMemoryReminderService().AddAviGrains(o => o.MembershipReconcilePeriod = TimeSpan.FromMilliseconds(500));
                silo.AddAviDataPlane(d =>
                {
                    d.VipInterface = Lan.HostInterface;
                    d.NetworkNamespace = lan.HostNamespaces[index];
                    d.AddressProtocol = Mark;
                    d.GuardEnabled = guard;
                    d.GuardCommand = [DotnetHost, Path.Combine(AppContext.BaseDirectory, "AviOrleans.DataPlane.GuardHost.dll")];
                    tune?.Invoke(d);
                });
            });
            builder.ConfigureClient(client =>
            {
                client.Services.AddSerializer(s => s.AddAviSerialization());
                // A call in flight to a silo that is declared dead or killed gets no answer: the tests ask again after
                // 5 s rather than Orleans' 30 s.
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
            });
            var cluster = builder.Build();
            await cluster.DeployAsync();
            var result = new DataPlaneCluster(lan, cluster, proxies, clusterId);
            for (var i = 0; i < silos; i++)
            {
                var fence = result.Fence(i);
                await Eventually.TrueAsync(() => !fence.State.IsFenced, $"silo {i} acquires its lease and lifts its fence", TimeSpan.FromSeconds(30));
            }

            return result;
        }
        catch
        {
            foreach (var proxy in proxies)
            {
                await proxy.DisposeAsync();
            }

            await lan.DisposeAsync();
            throw;
        }
    }

    public static string DotnetHost => Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));

    public InProcessSiloHandle Silo(int index) => Cluster.Silos.Single(s => s.Name == SiloName(index));

    public IServiceProvider Services(int index) => Silo(index).ServiceProvider;

    public IVipOwnership Ownership(int index) => Services(index).GetRequiredService<IVipOwnership>();

    public IHostFence Fence(int index) => Services(index).GetRequiredService<IHostFence>();

    public ITakeoverGate Gate(int index) => Services(index).GetRequiredService<ITakeoverGate>();

    public IClusterMembershipService Membership(int index) => Services(index).GetRequiredService<IClusterMembershipService>();

    /// <summary>The store cannot be reached from silo <paramref name="index"/> (its connections are reset).</summary>
    public Task CutStoreAsync(int index) => _proxies[index].StartAsync();

    public Task RestoreStoreAsync(int index) => _proxies[index].EndAsync();

    /// <summary>The marked addresses on host <paramref name="index"/>.</summary>
    public IReadOnlyList<string> Owned(int index) =>
        [.. Kernel.Addresses(Lan.HostNamespaces[index], Lan.HostInterface).Where(a => a.Protocol == Mark).Select(a => a.Address)];

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var proxy in _proxies)
            {
                await proxy.EndAsync();
            }

            await Cluster.DisposeAsync();
        }
        finally
        {
            foreach (var proxy in _proxies)
            {
                await proxy.DisposeAsync();
            }

            await _leases.DisposeAsync();
            // Always, even when stopping the cluster failed: the namespaces are the host's, not the process's.
            await Lan.DisposeAsync();
        }
    }

    private static int IndexOf(string siloName) => int.Parse(siloName["Silo_".Length..], CultureInfo.InvariantCulture);

    private static PostgreSqlStoreOptions StoreOptions(string connectionString) => new()
    {
        ConnectionString = connectionString,
        CommandTimeout = TimeSpan.FromSeconds(2),
    };
}
