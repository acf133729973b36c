using System.Net;
using AviOrleans.Api.V1;
using AviOrleans.Testing.Lan.Failover;
using Grpc.Core;

namespace AviOrleans.Testing.Lan.Silos;

/// <summary>
/// AviOrleans as a failover system under test, side by side with keepalived: a legacy active/standby SE group of
/// the two hosts (Avi's HA_MODE_LEGACY_ACTIVE_STANDBY, the mode keepalived's VRRP pair compares with) holding one
/// virtual service on the VIP, each host running its silo at the shipped defaults (<see cref="SiloCluster"/>). A new
/// cluster (fresh store schema) per run, so runs never inherit each other's state.
/// </summary>
public sealed class AviOrleansSystem : IFailoverSystem
{
    /// <summary>The SE group's name.</summary>
    public const string GroupName = "lan-pair";

    /// <summary>The virtual service's name.</summary>
    public const string VirtualServiceName = "vs-lan";

    private SiloCluster? _cluster;

    /// <inheritdoc/>
    public string Name => "AviOrleans (legacy active/standby, shipped defaults)";

    /// <summary>Orleans' fast membership profile probes every 200 ms: the fault lands at a random point of one probe period.</summary>
    public TimeSpan FaultPhaseWindow => TimeSpan.FromMilliseconds(200);

    /// <inheritdoc/>
    public IReadOnlyList<string> RequiredTools => [];

    /// <summary>The silos' <c>--log-level</c>. Default: the shipped one (warning).</summary>
    public string SiloLogLevel { get; init; } = new SiloStartOptions().LogLevel;

    /// <summary>Where each run's silo output is written when the run stops (<see cref="SiloCluster.SaveOutput"/>); null:
    /// nowhere. Default: null.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Each silo as a container's main process: the first of a PID namespace of its own
    /// (<see cref="SiloStartOptions.InPidNamespace"/>). Default: false.</summary>
    public bool InPidNamespace { get; init; }

    /// <summary>The cluster of the current run, or null between runs.</summary>
    public SiloCluster? Cluster => _cluster;

    /// <summary>The configuration file of a run: the group of the two SEs and one virtual service on the deployment's VIP.</summary>
    public static string Configuration(FailoverDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return $$"""
            {
              "serviceenginegroup": [ { "name": "{{GroupName}}", "ha_mode": "HA_MODE_LEGACY_ACTIVE_STANDBY" } ],
              "serviceengine": [
                { "name": "{{deployment.Active.Name}}", "se_group_ref": "{{GroupName}}" },
                { "name": "{{deployment.Standby.Name}}", "se_group_ref": "{{GroupName}}" }
              ],
              "virtualservice": [
                { "name": "{{VirtualServiceName}}", "se_group_ref": "{{GroupName}}", "vip": [ { "vip_id": "0", "ip_address": "{{deployment.Vip}}" } ] }
              ]
            }
            """;
    }

    /// <inheritdoc/>
    public async Task StartAsync(VirtualLan lan, FailoverDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lan);
        ArgumentNullException.ThrowIfNull(deployment);
        if (_cluster is not null)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        var cluster = SiloCluster.Create(lan);
        _cluster = cluster;
        var file = Path.Combine(lan.WorkDirectory, cluster.ClusterId, "config.json");
        await File.WriteAllTextAsync(file, Configuration(deployment), cancellationToken).ConfigureAwait(false);

        // The active host's silo first, alone: the virtual service is placed on it; then the standby joins the pair.
        await cluster.StartAsync(deployment.Active, new SiloStartOptions { ConfigurationFile = file, LogLevel = SiloLogLevel, InPidNamespace = InPidNamespace }, cancellationToken).ConfigureAwait(false);
        await cluster.StartAsync(deployment.Standby, new SiloStartOptions { LogLevel = SiloLogLevel, InPidNamespace = InPidNamespace }, cancellationToken).ConfigureAwait(false);
        await WaitForPairAsync(cluster, deployment, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<FaultWindow> KillAgentAsync(LanHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var cluster = _cluster ?? throw new InvalidOperationException($"{Name} is not running.");
        return Task.FromResult(cluster.Kill(host));
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var cluster = _cluster;
        _cluster = null;
        if (cluster is not null)
        {
            if (OutputDirectory is { } directory)
            {
                cluster.SaveOutput(directory);
            }

            await cluster.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the pair is steady: the virtual service placed active on <see cref="FailoverDeployment.Active"/>
    /// with <see cref="FailoverDeployment.Standby"/> standing by (as the standby's gateway reports it), and the VIP on
    /// the active host's interface.</summary>
    public static async Task WaitForPairAsync(SiloCluster cluster, FailoverDeployment deployment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(deployment);
        var ha = new HaService.HaServiceClient(cluster.Gateway(deployment.Standby));
        var deadline = LanTime.Now + timeout;
        string last = "no answer yet";
        while (true)
        {
            try
            {
                var placement = await ha.GetVirtualServicePlacementAsync(
                    new GetVirtualServicePlacementRequest { VirtualServiceRef = VirtualServiceName },
                    deadline: DateTime.UtcNow.AddSeconds(5),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                var vip = placement.Vip.FirstOrDefault();
                last = $"{placement.State}, active {vip?.ActiveSeRef}, standby {vip?.StandbySeRef}";
                if (placement.State == PlacementState.Placed
                    && vip?.ActiveSeRef == deployment.Active.Name
                    && vip.StandbySeRef == deployment.Standby.Name
                    && deployment.Active.ReadInterface().Addresses.Contains(deployment.Vip))
                {
                    return;
                }
            }
            catch (RpcException ex) when (SiloCluster.IsTransient(ex))
            {
                last = ex.Status.Detail;
            }

            if (LanTime.Now > deadline)
            {
                throw new LanException($"The pair {deployment.Active.Name}/{deployment.Standby.Name} did not become steady within {timeout.TotalSeconds:0} s (last: {last}; VIP {deployment.Vip} on {deployment.Active.Name}: {deployment.Active.ReadInterface().Addresses.Contains(deployment.Vip)}).\n{cluster.Describe()}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
