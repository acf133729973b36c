using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing.Lan;
using AviOrleans.Testing.Lan.Silos;
using Grpc.Core;

namespace AviOrleans.EndToEnd.Tests;

/// <summary>
/// A LAN with an AviOrleans cluster on it, for the scenarios beyond one VIP and one fault: the configuration file, the
/// silos started in order, the placements read through the gateways of the hosts whose silos run, and the VIPs watched
/// on every host. Disposing it stops the cluster and removes the LAN.
/// </summary>
internal sealed class SiloLan : IAsyncDisposable
{
    private SiloLan(VirtualLan lan, SiloCluster cluster, string configurationFile)
    {
        Lan = lan;
        Cluster = cluster;
        ConfigurationFile = configurationFile;
    }

    public VirtualLan Lan { get; }

    public SiloCluster Cluster { get; }

    public string ConfigurationFile { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Builds the LAN (hosts, clients) and writes <paramref name="configuration"/>; no silo runs yet.</summary>
    public static async Task<SiloLan> CreateAsync(IReadOnlyList<string> hosts, string configuration, IReadOnlyList<string>? clients = null)
    {
        Requirements.Require();
        Requirements.RequireStore();
        var lan = await VirtualLan.StartAsync(new LanOptions { Hosts = hosts, Clients = clients ?? ["cli"] }, Ct);
        try
        {
            var cluster = SiloCluster.Create(lan);
            var file = Path.Combine(lan.WorkDirectory, cluster.ClusterId, "config.json");
            await File.WriteAllTextAsync(file, configuration, Ct);
            return new SiloLan(lan, cluster, file);
        }
        catch
        {
            await lan.DisposeAsync();
            throw;
        }
    }

    public LanHost Host(string name) => Lan.Host(name);

    /// <summary>Starts the silos of <paramref name="hosts"/> one after the other; the first loads the configuration.</summary>
    public async Task StartAsync(params string[] hosts)
    {
        foreach (var name in hosts)
        {
            await Cluster.StartAsync(Host(name), new SiloStartOptions { ConfigurationFile = ConfigurationFile }, Ct);
        }
    }

    /// <summary>A gateway of a host whose silo runs (the first one, or the one named).</summary>
    public Grpc.Net.Client.GrpcChannel Gateway(string? host = null) =>
        Cluster.Gateway(host is null ? Lan.Hosts.First(h => Cluster.Silo(h) is { HasExited: false } && !h.IsFrozen) : Host(host));

    public HaService.HaServiceClient Ha(string? host = null) => new(Gateway(host));

    public VirtualServiceService.VirtualServiceServiceClient VirtualServices(string? host = null) => new(Gateway(host));

    /// <summary>Polls the placement of <paramref name="vs"/> until <paramref name="done"/> holds; calls that fail while the
    /// cluster is moving (UNAVAILABLE, a deadline) are retried.</summary>
    public async Task<VirtualServicePlacement> PlacementAsync(string vs, Func<VirtualServicePlacement, bool> done, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var last = "no answer";
        while (true)
        {
            try
            {
                var placement = await Ha().GetVirtualServicePlacementAsync(new() { VirtualServiceRef = vs }, deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: Ct);
                if (done(placement))
                {
                    return placement;
                }

                last = placement.ToString();
            }
            catch (RpcException ex) when (IsTransient(ex))
            {
                last = ex.Status.ToString();
            }

            Assert.True(DateTime.UtcNow < deadline, $"{because}: the placement of {vs} did not get there; last: {last}\n{Cluster.Describe()}");
            await Task.Delay(100, Ct);
        }
    }

    /// <summary>The hosts whose interface holds <paramref name="vip"/> now.</summary>
    public IReadOnlyList<string> Owners(IPAddress vip) =>
        [.. Lan.Hosts.Where(h => !h.IsFrozen && h.ReadInterface().Addresses.Contains(vip)).Select(h => h.Name)];

    /// <summary>Waits until <paramref name="vip"/> is on <paramref name="host"/> alone.</summary>
    public async Task VipOnAsync(IPAddress vip, string host, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (Owners(vip) is not [var only] || only != host)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{vip} is not on {host} alone; it is on: {string.Join(", ", Owners(vip))}\n{Cluster.Describe()}");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Waits for <paramref name="probe"/>'s first connection answered by <paramref name="host"/> (after
    /// <paramref name="after"/>); a timeout fails with every silo's last output.</summary>
    public async Task<ProbeAttempt> AnsweredByAsync(VipProbe probe, string host, LanTime? after = null, TimeSpan? timeout = null)
    {
        try
        {
            return await probe.WaitForAnswerAsync(host, timeout ?? TimeSpan.FromSeconds(30), after, Ct);
        }
        catch (TimeoutException ex)
        {
            Assert.Fail($"{ex.Message}\n{Cluster.Describe()}");
            throw;
        }
    }

    /// <inheritdoc cref="SiloCluster.IsTransient"/>
    public static bool IsTransient(RpcException ex) => SiloCluster.IsTransient(ex);

    /// <summary>Asserts that no sample of <paramref name="sampler"/> held a VIP on two live hosts; on failure, which VIP,
    /// where and when (ms after <paramref name="origin"/>), with every silo's last output.</summary>
    public void AssertNoDuplicate(OwnershipSampler sampler, LanTime origin)
    {
        var duplicates = sampler.Duplicates();
        Assert.True(duplicates.Count == 0, $"{duplicates.Count} duplicate-ownership samples: "
            + string.Join("; ", duplicates.Take(20).Select(d => $"{d.Vip} on {string.Join("+", d.Hosts)} at {(d.Time - origin).TotalMilliseconds:0} ms"))
            + $"\n{Cluster.Describe(60)}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.DisposeAsync();
        }
        finally
        {
            await Lan.DisposeAsync();
        }
    }
}
