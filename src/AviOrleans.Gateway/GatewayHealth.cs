using AviOrleans.Api;
using Grpc.HealthCheck;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AviOrleans.Gateway;

/// <summary>
/// What grpc.health.v1 reports, served by Grpc.HealthCheck's <see cref="HealthServiceImpl"/> (Check, and Watch, which
/// sends the current status at once and then every change). The host drives it from the silo's real state: the
/// overall status (service "") and every avi.v1 service follow <see cref="SetOverallStatus"/>; a service given its
/// own status with <see cref="SetServiceStatus"/> still reports NOT_SERVING while the gateway as a whole does.
/// Unknown services: Check answers NOT_FOUND, Watch SERVICE_UNKNOWN.
/// </summary>
public sealed class GatewayHealth
{
    private readonly Lock _sync = new();
    private readonly HealthServiceImpl _service;
    private readonly Dictionary<string, ServingStatus> _own = new(StringComparer.Ordinal);
    private ServingStatus _overall;

    /// <summary>Creates the health of a gateway serving <paramref name="service"/>, starting at <paramref name="initial"/>.</summary>
    public GatewayHealth(HealthServiceImpl service, ServingStatus initial = ServingStatus.Serving)
    {
        ArgumentNullException.ThrowIfNull(service);
        _service = service;
        _overall = initial;
        lock (_sync)
        {
            Publish();
        }
    }

    /// <summary>The status of the gateway as a whole (service name "").</summary>
    public ServingStatus OverallStatus
    {
        get
        {
            lock (_sync)
            {
                return _overall;
            }
        }
    }

    /// <summary>Sets the status of the gateway as a whole, and of every avi.v1 service without its own; watchers are told at once.</summary>
    public void SetOverallStatus(ServingStatus status)
    {
        CheckStatus(status);
        lock (_sync)
        {
            _overall = status;
            Publish();
        }
    }

    /// <summary>Gives <paramref name="service"/> (an avi.v1 service's full name, or another name) its own status.</summary>
    public void SetServiceStatus(string service, ServingStatus status)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        CheckStatus(status);
        lock (_sync)
        {
            _own[service] = status;
            Publish();
        }
    }

    /// <summary>Removes <paramref name="service"/>'s own status: an avi.v1 service follows the overall status again, another is unknown.</summary>
    public void ClearServiceStatus(string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        lock (_sync)
        {
            if (_own.Remove(service) && !AviApi.ServiceNames.Contains(service))
            {
                _service.ClearStatus(service);
            }

            Publish();
        }
    }

    private static void CheckStatus(ServingStatus status)
    {
        if (status is not (ServingStatus.Serving or ServingStatus.NotServing))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A status is SERVING or NOT_SERVING.");
        }
    }

    // Under _sync, so that two changes cannot publish out of order. HealthServiceImpl tells watchers only of changes.
    private void Publish()
    {
        _service.SetStatus(string.Empty, _overall);
        foreach (var name in AviApi.ServiceNames.Concat(_own.Keys).Distinct(StringComparer.Ordinal))
        {
            var status = _overall == ServingStatus.NotServing ? ServingStatus.NotServing
                : _own.TryGetValue(name, out var own) ? own
                : _overall;
            _service.SetStatus(name, status);
        }
    }
}
