using AviOrleans.Gateway;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Silo.Hosting.Internal;

/// <summary>
/// Drives a gateway-only process's grpc.health.v1 status from its Orleans client's connection: NotServing until the
/// client has connected, Serving while at least one silo gateway is connected, NotServing when the connection to
/// the cluster is lost and for good once the host starts stopping.
/// </summary>
internal sealed class ClientHealthPublisher : IClusterConnectionStatusObserver, IHostedLifecycleService
{
    private readonly Lock _sync = new();
    private readonly GatewayHealth _health;
    private readonly ILogger<ClientHealthPublisher> _logger;
    private bool _left;

    public ClientHealthPublisher(GatewayHealth health, ILogger<ClientHealthPublisher> logger)
    {
        _health = health;
        _logger = logger;
    }

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        SiloLog.GatewayCountChanged(_logger, currentNumberOfGateways, previousNumberOfGateways);
        Set(currentNumberOfGateways > 0);
    }

    public void NotifyClusterConnectionLost()
    {
        SiloLog.ClusterConnectionLost(_logger);
        Set(false);
    }

    // The Orleans client's hosted service has connected by the time the host reports itself started.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        Set(true);
        return Task.CompletedTask;
    }

    /// <summary>NotServing for good, then a pause so that watchers see it before the host stops (which ends every call).</summary>
    public async Task LeaveAsync()
    {
        lock (_sync)
        {
            _left = true;
            _health.SetOverallStatus(ServingStatus.NotServing);
        }

        await Task.Delay(SiloHealthPublisher.Drain);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Set(bool serving)
    {
        lock (_sync)
        {
            if (!_left)
            {
                _health.SetOverallStatus(serving ? ServingStatus.Serving : ServingStatus.NotServing);
            }
        }
    }
}
