using AviOrleans.Gateway;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// Drives the co-hosted gateway's grpc.health.v1 status from Orleans' own view of this silo
/// (<see cref="IClusterMembershipService"/>): NotServing while it is created or joining, Serving while it is Active,
/// NotServing for good from the moment the host starts stopping, a fatal error is reported, or the view shows the
/// silo terminating (ShuttingDown, Stopping, Dead). The host starts its services concurrently, so the gateway
/// answers (NotServing) while the silo joins.
/// </summary>
internal sealed class SiloHealthPublisher : BackgroundService
{
    /// <summary>
    /// How long the gateway keeps serving after health turned NotServing: stopping the host ends every Watch at once,
    /// and watchers (load balancers, kubelet) must first receive the NotServing update.
    /// </summary>
    internal static readonly TimeSpan Drain = TimeSpan.FromMilliseconds(500);

    private readonly Lock _sync = new();
    private readonly IClusterMembershipService _membership;
    private readonly ILocalSiloDetails _self;
    private readonly GatewayHealth _health;
    private readonly SiloTermination _termination;
    private readonly ILogger<SiloHealthPublisher> _logger;
    private SiloStatus _last = SiloStatus.None;
    private bool _left;

    public SiloHealthPublisher(
        IClusterMembershipService membership,
        ILocalSiloDetails self,
        GatewayHealth health,
        SiloTermination termination,
        ILogger<SiloHealthPublisher> logger)
    {
        _membership = membership;
        _self = self;
        _health = health;
        _termination = termination;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var terminating = _termination.Terminating.Register(Leave);
        try
        {
            await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                OnSnapshot(snapshot.GetSiloStatus(_self.SiloAddress));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: Leave already ran.
        }
        catch (ObjectDisposedException)
        {
            // The silo's update stream is gone with the silo.
        }
    }

    /// <summary>
    /// NotServing for good, then a pause of <see cref="Drain"/>: called before the host stops (stopping ends every
    /// call), so that watchers learn the silo is going away before the gateway closes and the silo leaves the cluster.
    /// </summary>
    public async Task LeaveAsync()
    {
        Leave();
        await Task.Delay(Drain);
    }

    private void OnSnapshot(SiloStatus status)
    {
        lock (_sync)
        {
            // Snapshots may arrive late: once leaving, none may turn health back on.
            if (_left || status == _last)
            {
                return;
            }

            _last = status;
            var serving = status == SiloStatus.Active;
            _health.SetOverallStatus(serving ? ServingStatus.Serving : ServingStatus.NotServing);
            _left = status.IsTerminating();
            SiloLog.HealthChanged(_logger, _self.Name, status, serving);
        }
    }

    private void Leave()
    {
        lock (_sync)
        {
            _left = true;
            _health.SetOverallStatus(ServingStatus.NotServing);
        }
    }
}
